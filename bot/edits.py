"""Edited messages are never acted on: editing an old /alert must not draft a second alert.

Telegram sends an edit of any message the bot can see as an `edited_message` update, and PTB's
CommandHandler answers those by default. An edit carries the old command again (or a new one,
`/alert_retract 3` edited into `/alert_retract 4`), so acting on it would repeat or redirect
an action the user took once. This runs before everything else and stops every edit.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import NewsContext


async def ignore_edits(update: Update, context: NewsContext) -> None:
    """Stop an edited message or channel post before any handler sees it."""
    if update.edited_message is not None or update.edited_channel_post is not None:
        raise ApplicationHandlerStop
