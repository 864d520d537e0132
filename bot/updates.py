"""What a handler may take from its update as given: the filters in bot/app.py promise it.

PTB types ``effective_chat`` and ``effective_message`` as optional because some kinds of
update have none (an inline query has no chat). A command or a button on a bot message
always has both; these accessors say so once, and fail loudly should a handler ever be
registered for updates that lack them.
"""

from __future__ import annotations

from telegram import Chat, Message, Update

__all__ = ["chat_of", "message_of"]


def chat_of(update: Update) -> Chat:
    """The update's chat; commands, messages and buttons on messages always have one."""
    chat = update.effective_chat
    if chat is None:
        raise RuntimeError(f"update {update.update_id} has no chat: check the handler's filters")
    return chat


def message_of(update: Update) -> Message:
    """The update's message; commands and text handlers always have one."""
    message = update.effective_message
    if message is None:
        raise RuntimeError(f"update {update.update_id} has no message: check the handler's filters")
    return message
