"""Updates newsbot never acts on, stopped before any handler: edits, and buttons without a chat.

Telegram sends an edit of any message the bot can see as an `edited_message` update, and PTB's
CommandHandler answers those by default. An edit carries the old command again (or a new one,
`/alert_retract 3` edited into `/alert_retract 4`), so acting on it would repeat or redirect
an action the user took once.

A button under an inline-mode message comes without a chat or message (only an
`inline_message_id`). newsbot puts no buttons on inline results, so such a press is forged or
stale: it is answered (so the client stops waiting) and goes no further.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import NewsContext


async def ignore_unactionable(update: Update, context: NewsContext) -> None:
    """Stop an edited message or post, and answer and stop a press without a chat."""
    if update.edited_message is not None or update.edited_channel_post is not None:
        raise ApplicationHandlerStop
    query = update.callback_query
    if query is not None and (query.message is None or update.effective_chat is None):
        await query.answer()
        raise ApplicationHandlerStop
