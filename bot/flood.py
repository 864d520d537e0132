"""Flood protection: a user sending commands too fast gets one polite reply, then a pause.

The buckets live in the conversation store, so every instance sees the same user's pace.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import NewsContext
from bot.flood_guard import Bucket
from digests.readers.conversation import recall, remember

FLOOD = "flood"


def _counts(update: Update) -> bool:
    message = update.effective_message
    if update.callback_query is not None or update.inline_query is not None:
        return True
    if message is None or not message.text:
        return False
    # In a private chat any text is a search, as costly as a command.
    return message.text.startswith("/") or message.chat.type == "private"


async def _check(context: NewsContext, user_id: int) -> str:
    rule, now = context.services.flood, context.services.clock()
    async with context.session() as session:
        at = datetime.fromtimestamp(now, UTC)
        stored = await recall(session=session, chat_id=0, user_id=user_id, kind=FLOOD, now=at)
        verdict, bucket = rule.check(Bucket(**stored) if stored else None, now)
        if verdict != "ignore":
            await remember(
                session=session,
                chat_id=0,
                user_id=user_id,
                kind=FLOOD,
                payload=asdict(bucket),
                expires_at=datetime.fromtimestamp(rule.forgettable_at(bucket), UTC),
            )
    return verdict


async def guard_flood(update: Update, context: NewsContext) -> None:
    """Runs before every handler; stops the update when its user is flooding."""
    user = update.effective_user
    if user is None or not _counts(update):
        return
    verdict = await _check(context, user.id)
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
