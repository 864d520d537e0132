"""Bot API methods that edit and delete the bot's messages."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .faults import ApiError
from .jsontypes import JSON
from .messages import MEDIA_FIELDS, check_markup

if TYPE_CHECKING:
    from .state import ChatState

__all__ = ["EditingMixin"]

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


class EditingMixin:
    """editMessage* and deleteMessage(s); needs MessagesMixin's formatting helpers."""

    _target_chat: Callable[..., ChatState]  # FakeBotAPI._target_chat(params, key="chat_id")
    # MessagesMixin's formatting helpers:
    _formatted: Callable[[str, Any, Any, int, str], tuple[str, list[JSON]]]
    _caption: Callable[[JSON, str], tuple[str, JSON]]
    _message_text: Callable[[JSON, str], tuple[str, list[JSON]]]

    def _editable(self, p: JSON) -> tuple[ChatState, JSON] | None:
        """The (chat, message) an edit targets; None for inline messages."""
        if p.get("inline_message_id"):
            return None
        chat = self._target_chat(p)
        message_id = p.get("message_id")
        if message_id is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        message = chat.messages.get(message_id)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message_id not in chat.bot_message_ids:
            raise ApiError(400, "Bad Request: message can't be edited")
        return chat, message

    def _apply_edit(self, chat: ChatState, message: JSON, changes: JSON) -> JSON:
        """Store an edited copy (earlier responses stay as they were); reject no-op edits."""
        if all(message.get(k) == (v or None) for k, v in changes.items()):
            raise ApiError(400, _NOT_MODIFIED)
        edited = dict(message)
        for key, value in changes.items():
            if value:
                edited[key] = value
            else:
                edited.pop(key, None)
        edited["edit_date"] = int(time.time())
        chat.messages[message["message_id"]] = edited
        return edited

    def _api_editMessageText(self, p: JSON) -> JSON | bool:
        plain, found = self._message_text(p, "Bad Request: MESSAGE_TOO_LONG")
        markup = check_markup(p.get("reply_markup"))
        target = self._editable(p)
        if target is None:
            return True
        chat, message = target
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        # Omitting reply_markup removes the inline keyboard, as on Telegram.
        changes = {"text": plain, "entities": found, "reply_markup": markup}
        return self._apply_edit(chat, message, changes)

    def _api_editMessageCaption(self, p: JSON) -> JSON | bool:
        plain, content = self._caption(p, "Bad Request: MEDIA_CAPTION_TOO_LONG")
        markup = check_markup(p.get("reply_markup"))
        target = self._editable(p)
        if target is None:
            return True
        chat, message = target
        if not any(k in message for k in MEDIA_FIELDS):
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        changes = {
            "caption": content.get("caption"),
            "caption_entities": content.get("caption_entities"),
            "reply_markup": markup,
        }
        return self._apply_edit(chat, message, changes)

    def _api_editMessageReplyMarkup(self, p: JSON) -> JSON | bool:
        markup = check_markup(p.get("reply_markup"))
        target = self._editable(p)
        if target is None:
            return True
        return self._apply_edit(*target, {"reply_markup": markup})

    def _api_deleteMessage(self, p: JSON) -> bool:
        chat = self._target_chat(p)
        message_id = p.get("message_id")
        if not isinstance(message_id, int) or chat.messages.pop(message_id, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        chat.deleted.add(message_id)
        return True

    def _api_deleteMessages(self, p: JSON) -> bool:
        chat = self._target_chat(p)
        ids = p.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise ApiError(400, "Bad Request: message identifiers are not specified")
        for message_id in ids:  # Telegram skips ids it cannot delete
            if chat.messages.pop(message_id, None) is not None:
                chat.deleted.add(message_id)
        return True
