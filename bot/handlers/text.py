"""Plain text: an answer to a settings question, else (in a private chat) a search."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import NewsContext
from bot.handlers.lookups import search_text
from bot.handlers.settings import awaiting_setting, setting_text


async def plain_text(update: Update, context: NewsContext) -> None:
    """Route a text message that is not a command."""
    if await awaiting_setting(update, context) is not None:
        await setting_text(update, context)
    elif update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE:
        await search_text(update, context)
