"""The desk's door: every desk command and button asks here who the user is."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import NewsContext
from bot.permissions import may_configure
from digests.desk.roles import Role, audit, role_of
from digests.models import utcnow


async def desk_role(
    update: Update, context: NewsContext, action: str, *, owners_only: bool = False
) -> Role | None:
    """The user's desk role, or None after saying "not allowed" and auditing the refusal.

    In a group, a desk command acts only for an owner or editor who also administers the
    group; an anonymous admin cannot be identified, so it is refused too.
    """
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None:
        return None
    anonymous = message is not None and message.sender_chat is not None
    async with context.session() as session:
        role = await role_of(session=session, user_id=user.id, owners=context.settings.admin_ids)
    allowed = role is not Role.NONE and not anonymous
    if allowed and owners_only:
        allowed = role is Role.OWNER
    if allowed and chat.type != ChatType.PRIVATE:
        allowed = await may_configure(update, context)
    if allowed:
        return role
    async with context.session() as session:
        await audit(
            session=session,
            actor_id=user.id,
            action=action,
            now=utcnow(),
            target=str(chat.id),
            allowed=False,
            detail={"role": role.value, "chat_type": chat.type},
        )
    language = context.language_for(user.language_code)
    template = (
        "desk/owners_only.html" if owners_only and role is Role.EDITOR else "desk/not_allowed.html"
    )
    text = context.render(template, language=language)
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif message is not None:
        await message.reply_text(text)
    return None
