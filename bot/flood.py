"""Flood protection: a user sending commands too fast gets one polite reply, then a pause."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import NewsContext


def _counts(update: Update) -> bool:
    message = update.effective_message
    if update.callback_query is not None or update.inline_query is not None:
        return True
    if message is None or not message.text:
        return False
    # In a private chat any text is a search, as costly as a command.
    return message.text.startswith("/") or message.chat.type == "private"


async def guard_flood(update: Update, context: NewsContext) -> None:
    """Runs before every handler; stops the update when its user is flooding."""
    user = update.effective_user
    if user is None or not _counts(update):
        return
    verdict = context.services.flood.check(user.id)
    if verdict == "ok":
        return
    if verdict == "warn" and update.effective_chat is not None:
        language = context.language_for(user.language_code)
        seconds = int(context.services.flood.mute_seconds)
        await context.bot.send_message(
            update.effective_chat.id,
            context.render("bot/flood.html", language=language, seconds=seconds),
        )
    raise ApplicationHandlerStop
