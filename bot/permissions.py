"""Who may change a chat's topics and settings: anyone in private, admins in groups."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.context import NewsContext

ADMIN_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}


async def may_configure(update: Update, context: NewsContext) -> bool:
    """True in a private chat, or for a group's admins (getChatMember, cached briefly)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    # An anonymous admin posts as the group itself; only admins can do that. (Only for
    # messages: a button's effective_message is the bot's own post.)
    if (
        update.callback_query is None
        and message is not None
        and message.sender_chat is not None
        and message.sender_chat.id == chat.id
    ):
        return True
    if user is None:
        return False
    cache = context.services.admins
    key = (chat.id, user.id)
    if key not in cache:
        member = await context.bot.get_chat_member(chat.id, user.id)
        cache[key] = member.status in ADMIN_STATUSES
    return cache[key]
