"""The bot joining or leaving chats, channels connecting, groups becoming supergroups."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import Forbidden

from bot.context import NewsContext
from bot.keyboards import channel_topics_keyboard
from digests.models import ChatStatus, utcnow
from digests.readers.chats import migrate_chat, record_departure
from digests.readers.subscriptions import TopicState, topic_states

logger = logging.getLogger(__name__)

PRESENT = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


async def bot_membership_changed(update: Update, context: NewsContext) -> None:
    """Added → register and explain; removed, kicked or blocked → stop delivering there."""
    change = update.my_chat_member
    if change is None:
        return
    chat, by = change.chat, change.from_user
    was = change.old_chat_member.status in PRESENT
    now_present = change.new_chat_member.status in PRESENT
    if was and not now_present:
        kicked = change.new_chat_member.status == ChatMemberStatus.BANNED
        status = ChatStatus.BLOCKED if chat.type == ChatType.PRIVATE and kicked else ChatStatus.LEFT
        async with context.session() as session:
            await record_departure(
                session=session, telegram_id=chat.id, status=status, now=utcnow()
            )
        return
    if now_present and not was:
        async with context.session() as session:
            row = await context.current_chat(session, update)
            if chat.type == ChatType.CHANNEL:
                row.connected_by = by.id
            states = await topic_states(session=session, chat_id=row.id)
            row_id, language = row.id, row.language
        if chat.type == ChatType.CHANNEL:
            await _offer_channel_topics(context, by.id, row_id, chat.title or "", language, states)
        elif chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
            await context.bot.send_message(
                chat.id, context.render("groups/welcome.html", language=language)
            )


async def _offer_channel_topics(
    context: NewsContext,
    admin_id: int,
    row_id: int,
    title: str,
    language: str,
    states: Sequence[TopicState],
) -> None:
    text = context.render("channels/connected.html", language=language, title=title)
    try:
        await context.bot.send_message(
            admin_id, text, reply_markup=channel_topics_keyboard(row_id, states)
        )
    except Forbidden:
        # The admin never started the bot privately; /connect in a private chat still works.
        logger.info("could not reach admin %s about a newly connected channel", admin_id)


async def chat_migrated(update: Update, context: NewsContext) -> None:
    """A group became a supergroup: its subscriptions follow it to the new id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old_id, new_id = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old_id, new_id = message.migrate_from_chat_id, message.chat.id
    else:
        return
    async with context.session() as session:
        await migrate_chat(session=session, old_id=old_id, new_id=new_id)
