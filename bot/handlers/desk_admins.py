"""/admins: owners list, add and remove editors; /desk: what the desk can do."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsContext
from bot.handlers.desk_access import desk_role
from digests.desk.roles import Role, add_editor, list_editors, remove_editor
from digests.errors import RoleError
from digests.ids import parse_id
from digests.models import utcnow


async def admins_command(update: Update, context: NewsContext) -> None:
    """/admins lists owners and editors; /admins add|remove <user id> (owners only)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    args = context.args or []
    changing = bool(args) and args[0].lower() in ("add", "remove")
    role = await desk_role(
        update, context, "admins_" + (args[0].lower() if changing else "list"), owners_only=changing
    )
    if role is None:
        return
    language = context.language_for(user.language_code)
    owners = context.settings.admin_ids
    if args and (not changing or len(args) != 2 or parse_id(args[1].removeprefix("-")) is None):
        raise RoleError("admins_usage")
    if changing:
        target, now = int(args[1]), utcnow()
        async with context.session() as session:
            if args[0].lower() == "add":
                await add_editor(
                    session=session, user_id=target, added_by=user.id, owners=owners, now=now
                )
                code = "added"
            else:
                await remove_editor(
                    session=session, user_id=target, removed_by=user.id, owners=owners, now=now
                )
                code = "removed"
        await message.reply_text(
            context.render("desk/admins_changed.html", language=language, code=code, user_id=target)
        )
        return
    async with context.session() as session:
        editors = await list_editors(session=session)
    await message.reply_text(
        context.render(
            "desk/admins.html",
            language=language,
            owners=owners,
            editors=editors,
            owner=role is Role.OWNER,
        )
    )


async def desk_help(update: Update, context: NewsContext) -> None:
    """/desk: the desk's commands (owners also see /admins)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    role = await desk_role(update, context, "desk")
    if role is None:
        return
    language = context.language_for(user.language_code)
    await message.reply_text(
        context.render("desk/help.html", language=language, owner=role is Role.OWNER)
    )
