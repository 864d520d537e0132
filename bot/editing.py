"""Editing a message the bot sent, where a repeat or a vanished message is no error.

A double tap on a button redraws the same text ("message is not modified"); a press on a
message deleted meanwhile, or too old to edit, finds nothing to change. Neither is a fault of
the user's or newsbot's: the edit is skipped and noted in the log. Every edit of a shown
message (pagers, the settings screen, desk cards) goes through here.
"""

from __future__ import annotations

import logging

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from digests.delivery.failures import FailureCode, failure_code

logger = logging.getLogger(__name__)

HARMLESS = {FailureCode.NOT_MODIFIED, FailureCode.MESSAGE_GONE, FailureCode.CANNOT_EDIT}


async def edit_message(
    bot: Bot,
    chat_id: int,
    message_id: int,
    text: str | None,
    markup: InlineKeyboardMarkup | None,
) -> bool:
    """Edit a message's text and keyboard (only its keyboard when `text` is None); whether
    Telegram changed it. Unchanged, gone or no longer editable is logged, not raised."""
    try:
        if text is None:
            await bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
        else:
            await bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
    except BadRequest as exc:
        if failure_code(exc) not in HARMLESS:
            raise
        logger.debug("message %s in chat %s not edited: %s", message_id, chat_id, exc.message)
        return False
    except Forbidden as exc:  # the bot left or was blocked meanwhile
        logger.warning("message %s in chat %s not edited: %s", message_id, chat_id, exc.message)
        return False
    return True


async def edit_pressed(
    query: CallbackQuery, text: str | None, markup: InlineKeyboardMarkup | None
) -> bool:
    """Edit the message a button was pressed on (see edit_message)."""
    message = query.message
    if message is None:
        return False
    return await edit_message(query.get_bot(), message.chat.id, message.message_id, text, markup)
