"""/stop: confirm, then unsubscribe and delete everything newsbot keeps about the chat."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsContext
from bot.keyboards import STOP, parse_labels, stop_keyboard
from bot.permissions import may_configure
from digests.models import utcnow
from digests.readers.chats import forget_chat


async def ask_to_stop(update: Update, context: NewsContext) -> None:
    """Ask for confirmation before deleting the chat's data."""
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    language = context.language_for(user.language_code if user else None)
    if not await may_configure(update, context):
        await message.reply_text(context.render("groups/admins_only.html", language=language))
        return
    labels = parse_labels(context.render("stop/buttons.txt", language=language))
    await message.reply_text(
        context.render("stop/confirm.html", language=language), reply_markup=stop_keyboard(labels)
    )


async def stop_button(update: Update, context: NewsContext) -> None:
    """Yes deletes the chat's subscriptions, settings and queue; No keeps everything."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or chat is None:
        return
    language = context.language_for(user.language_code if user else None)
    if not await may_configure(update, context):
        await query.answer(
            context.render("groups/admins_only.html", language=language), show_alert=True
        )
        return
    await query.answer()
    if query.data == f"{STOP}yes":
        async with context.session() as session:
            await forget_chat(session=session, telegram_id=chat.id, now=utcnow())
        await query.edit_message_text(context.render("stop/done.html", language=language))
    else:
        await query.edit_message_text(context.render("stop/kept.html", language=language))
