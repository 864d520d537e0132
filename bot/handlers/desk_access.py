"""The desk's door: every desk command and button asks here who the user is."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from bot.context import NewsContext
from bot.desk_status import edit_status_message
from bot.permissions import may_configure
from digests.desk.roles import DeskRequest, Role, check_access
from digests.ids import parse_row_id
from digests.models import utcnow


async def desk_role(
    update: Update, context: NewsContext, action: str, *, owners_only: bool = False
) -> Role | None:
    """The user's desk role, or None after saying "not allowed" (the refusal is audited).

    In a group, a desk command acts only for an owner or editor who also administers the
    group; an anonymous admin cannot be identified, so it is refused too.
    """
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None:
        return None
    request = DeskRequest(
        user_id=user.id,
        action=action,
        chat_id=chat.id,
        chat_type=chat.type,
        anonymous=message is not None and message.sender_chat is not None,
        owners_only=owners_only,
    )
    async with context.session() as session:
        access = await check_access(
            session=session,
            request=request,
            owners=context.settings.admin_ids,
            group_admin=lambda: may_configure(update, context, live=True),
            now=utcnow(),
        )
    if access.allowed:
        return access.role
    language = context.language_for(user.language_code)
    template = (
        "desk/owners_only.html"
        if owners_only and access.role is Role.EDITOR
        else "desk/not_allowed.html"
    )
    text = context.render(template, language=language)
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif message is not None:
        await message.reply_text(text)
    return None


@dataclass(frozen=True)
class Press:
    """A desk button pressed by someone allowed to: `prefix<number>[:<extra>]`."""

    query: CallbackQuery
    user_id: int
    number: int
    extra: str
    language: str

    async def redraw(
        self, context: NewsContext, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        """Show the new state in the message the button is under."""
        if self.query.message is not None:
            chat_id, message_id = self.query.message.chat.id, self.query.message.message_id
            await edit_status_message(context, chat_id, message_id, text, markup)


async def desk_press(
    update: Update, context: NewsContext, prefix: str, action: str
) -> Press | None:
    """The press of a `prefix…` button, or None when there is none or the user may not."""
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None:
        return None
    if not await desk_role(update, context, action):
        return None
    number, _, extra = query.data.removeprefix(prefix).partition(":")
    # A forged number is 0: no alert or source has it, so the service says "no such …".
    return Press(
        query=query,
        user_id=user.id,
        number=parse_row_id(number) or 0,
        extra=extra,
        language=context.language_for(user.language_code),
    )
