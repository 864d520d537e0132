"""Channels: connected by one of their admins from a private chat, topics picked there."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden

from bot.context import NewsContext
from bot.editing import edit_pressed
from bot.keyboards import CHANNEL_TOPIC, channel_topics_keyboard
from digests.ids import parse_id, parse_row_id
from digests.models import ChatType as DomainChatType
from digests.models import utcnow
from digests.readers.chats import ChatInfo, get_chat_by_row, register_chat
from digests.readers.subscriptions import toggle_topic, topic_states

ADMINS = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}


async def _is_channel_admin(context: NewsContext, channel_id: int, user_id: int) -> bool:
    try:
        member = await context.bot.get_chat_member(channel_id, user_id)
    except (BadRequest, Forbidden):
        return False
    return member.status in ADMINS


async def connect_channel(update: Update, context: NewsContext) -> None:
    """/connect @channel: after adding the bot as an admin there, pick the channel's topics."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        return
    language = context.language_for(user.language_code)
    if chat.type != ChatType.PRIVATE or not context.args:
        await message.reply_text(context.render("channels/usage.html", language=language))
        return
    target = context.args[0]
    number = parse_id(target[1:]) if target.startswith("-") else None  # -100… is a chat id
    try:
        channel = await context.bot.get_chat(-number if number else target)
    except (BadRequest, Forbidden):
        channel = None
    if channel is None or channel.type != ChatType.CHANNEL:
        text = context.render("channels/not_found.html", language=language, target=target)
        await message.reply_text(text)
        return
    if not await _is_channel_admin(context, channel.id, context.bot.id):
        await message.reply_text(
            context.render("channels/bot_not_admin.html", language=language, title=channel.title)
        )
        return
    if not await _is_channel_admin(context, channel.id, user.id):
        await message.reply_text(
            context.render("channels/not_your_channel.html", language=language, title=channel.title)
        )
        return
    async with context.session() as session:
        registration = await register_chat(
            session=session,
            info=ChatInfo(channel.id, DomainChatType.CHANNEL, channel.title, channel.username),
            language=language,
            timezone=context.settings.default_timezone,
            now=utcnow(),
        )
        registration.chat.connected_by = user.id
        states = await topic_states(session=session, chat_id=registration.chat.id)
        row_id = registration.chat.id
    await message.reply_text(
        context.render("channels/connected.html", language=language, title=channel.title),
        reply_markup=channel_topics_keyboard(row_id, states),
    )


async def toggle_channel_topic(update: Update, context: NewsContext) -> None:
    """A tap on a channel's topic keyboard; only the channel's admins may change it."""
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None:
        return
    row_text, _, slug = query.data.removeprefix(CHANNEL_TOPIC).partition(":")
    language = context.language_for(user.language_code)
    row_id = parse_row_id(row_text)
    async with context.session() as session:
        channel = await get_chat_by_row(session=session, chat_id=row_id) if row_id else None
        telegram_id = channel.telegram_id if channel else None
    if (
        row_id is None
        or telegram_id is None
        or not await _is_channel_admin(context, telegram_id, user.id)
    ):
        await query.answer(
            context.render("channels/not_your_channel.html", language=language, title=""),
            show_alert=True,
        )
        return
    async with context.session() as session:
        state = await toggle_topic(session=session, chat_id=row_id, slug=slug)
        states = await topic_states(session=session, chat_id=row_id)
    await query.answer(
        context.render("topics/toggled.html", language=language, state=state, slug=slug)
    )
    if state is not None:
        await edit_pressed(query, None, channel_topics_keyboard(row_id, states))
