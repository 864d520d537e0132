"""The one error handler: log with the traceback, tell the user in a template."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.context import NewsContext

logger = logging.getLogger(__name__)


async def report_error(update: object, context: NewsContext) -> None:
    """Log the exception with its traceback and apologise to the user, if there is one."""
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
