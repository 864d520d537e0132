"""The one error handler: a user's mistake answered in its template, anything else logged.

Handlers let a `digests.errors.UserError` rise (the update's session rolls back, so nothing
changed) and never catch one themselves: it is worded here, once, by errors/<code>.html.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.context import NewsContext
from digests.errors import UserError

logger = logging.getLogger(__name__)


async def answer_user_error(update: Update, context: NewsContext, error: UserError) -> None:
    """Tell the user why their command or button did nothing: errors/<code>, their language."""
    user = update.effective_user
    language = context.language_for(user.language_code if user else None)
    text = context.render(error.template, language=language, **error.values())
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(text)
    except TelegramError as exc:
        # Too late to answer the button, or the chat is gone: nothing was changed anyway.
        logger.warning("could not answer %s: %s", error.code, exc)


async def report_error(update: object, context: NewsContext) -> None:
    """Answer a UserError; log any other exception with its traceback and apologise."""
    if isinstance(context.error, UserError) and isinstance(update, Update):
        logger.debug("refused: %s", context.error)
        await answer_user_error(update, context, context.error)
        return
    logger.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    language = context.language_for(user.language_code if user else None)
    try:
        await context.bot.send_message(
            update.effective_chat.id, context.render("bot/error.html", language=language)
        )
    except TelegramError:
        # The apology itself failed (blocked, rate-limited): the log line above is enough.
        logger.warning("could not tell chat %s about the error", update.effective_chat.id)
