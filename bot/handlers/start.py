"""/start and /help: the welcome, and registering the chat."""

from __future__ import annotations

import re

from telegram import Chat as TelegramChat
from telegram import Update

from bot.context import NewsContext
from bot.handlers.lookups import show_coverage
from bot.keyboards import topics_keyboard
from bot.permissions import may_configure
from digests.editions.layout import RELATED_PAYLOAD
from digests.models import ChatType, utcnow
from digests.readers.chats import ChatInfo, register_chat
from digests.readers.subscriptions import start_following, subscribe_from_payload, topic_states

RELATED_PAYLOAD_PATTERN = re.compile(rf"^{RELATED_PAYLOAD}\d{{1,18}}$")
# Telegram allows deep-link payloads of up to 64 characters from this alphabet.
CAMPAIGN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def chat_info(chat: TelegramChat) -> ChatInfo:
    """The domain's view of a Telegram chat."""
    return ChatInfo(
        telegram_id=chat.id,
        type=ChatType(chat.type),
        title=chat.title or chat.full_name,
        username=chat.username,
    )


async def start(update: Update, context: NewsContext) -> None:
    """Register the chat (recording a deep-link campaign) and send the welcome."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or message is None:
        return
    payload = context.args[0] if context.args else None
    if payload and RELATED_PAYLOAD_PATTERN.match(payload):
        # A Related button from a channel digest: show that article's coverage here.
        await show_coverage(update, context, "#" + payload[len(RELATED_PAYLOAD) :])
        return
    campaign = payload if payload and CAMPAIGN.match(payload) else None
    language = context.language_for(user.language_code if user else None)
    async with context.session() as session:
        registration = await register_chat(
            session=session,
            info=chat_info(chat),
            language=language,
            timezone=context.settings.default_timezone,
            now=utcnow(),
            campaign=campaign,
        )
        chat_language = registration.chat.language
        # A deep link naming topics subscribes in one tap (the payload is also the campaign);
        # a first Start without one follows the default topics. In groups, admins only.
        change = None
        if await may_configure(update, context):
            if campaign:
                change = await subscribe_from_payload(
                    session=session, chat_id=registration.chat.id, payload=campaign
                )
            change = await start_following(
                session=session, chat=registration.chat, payload_change=change, now=utcnow()
            )
        states = await topic_states(session=session, chat_id=registration.chat.id)
    text = context.render(
        "bot/start.html",
        language=chat_language,
        created=registration.created,
        change=change,
        following=[state.name for state in states if state.subscribed],
        first_name=user.first_name if user else (chat.title or ""),
        commands=context.commands(chat_language),
    )
    await message.reply_text(text, reply_markup=topics_keyboard(states))


async def help_command(update: Update, context: NewsContext) -> None:
    """List what the bot can do (registering the chat, like /start)."""
    message = update.effective_message
    if message is None or update.effective_chat is None:
        return
    async with context.session() as session:
        language = (await context.current_chat(session, update)).language
    text = context.render("bot/help.html", language=language, commands=context.commands(language))
    await message.reply_text(text)
