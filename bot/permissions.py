"""Who may change a chat's topics and settings: anyone in private, admins in groups.

Whether a user administers a group is Telegram's answer to getChatMember. Answers, yes and
no alike, are kept in the conversation store (kind "admin", shared by every instance) for
`ADMIN_FRESH` only: a demoted admin loses the right and a promoted one gains it within that
bound. `chat_member` updates (sent only where the bot is an admin) refresh an answer at once;
the desk never trusts a kept answer and asks Telegram every time.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.context import NewsContext
from digests.models import utcnow
from digests.readers.conversation import recall, remember

ADMIN_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}
ADMIN = "admin"
ADMIN_FRESH = timedelta(seconds=10)


async def _remember_admin(context: NewsContext, chat_id: int, user_id: int, admin: bool) -> None:
    async with context.session() as session:
        await remember(
            session=session,
            chat_id=chat_id,
            user_id=user_id,
            kind=ADMIN,
            payload={"admin": admin},
            expires_at=utcnow() + ADMIN_FRESH,
        )


async def is_group_admin(
    context: NewsContext, chat_id: int, user_id: int, *, live: bool = False
) -> bool:
    """Whether the user administers the group: a kept answer younger than ADMIN_FRESH, or
    getChatMember's (always getChatMember when `live`)."""
    if not live:
        async with context.session() as session:
            kept = await recall(
                session=session, chat_id=chat_id, user_id=user_id, kind=ADMIN, now=utcnow()
            )
        if kept is not None:
            return kept.get("admin") is True
    member = await context.bot.get_chat_member(chat_id, user_id)
    admin = member.status in ADMIN_STATUSES
    if not live:
        await _remember_admin(context, chat_id, user_id, admin)
    return admin


async def may_configure(update: Update, context: NewsContext, *, live: bool = False) -> bool:
    """True in a private chat, or for a group's admins (see is_group_admin)."""
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
    return await is_group_admin(context, chat.id, user.id, live=live)


async def member_changed(update: Update, context: NewsContext) -> None:
    """A chat_member update: keep the user's new standing (a promotion or demotion) at once."""
    change: ChatMemberUpdated | None = update.chat_member
    if change is None:
        return
    user = change.new_chat_member.user
    admin = change.new_chat_member.status in ADMIN_STATUSES
    await _remember_admin(context, change.chat.id, user.id, admin)
