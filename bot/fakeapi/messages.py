"""Bot API methods that send, copy and forward messages."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .faults import ApiError
from .jsontypes import JSON
from .media import MEDIA_KINDS, FileRegistry
from .telegram_html import EntityParseError, parse_telegram_html_entities, utf16_len

if TYPE_CHECKING:
    from .state import ChatState

__all__ = ["MessagesMixin"]

TEXT_LIMIT, CAPTION_LIMIT = 4096, 1024
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
MEDIA_FIELDS = tuple(MEDIA_KINDS.values())
_CONTENT_FIELDS = ("text", "entities", "caption", "caption_entities", *MEDIA_FIELDS)


def check_thread(chat: ChatState, thread_id: Any) -> None:
    """A forum thread a message goes to must exist and be open, as on Telegram."""
    if not thread_id:
        return
    if not chat.is_forum or thread_id not in chat.threads:
        raise ApiError(400, "Bad Request: message thread not found")
    if not chat.threads[thread_id]:
        raise ApiError(400, "Bad Request: TOPIC_CLOSED")


def check_markup(markup: Any) -> JSON | None:
    """Validate reply_markup like Telegram; return the inline keyboard to echo, if any."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return None  # reply keyboards are not echoed in the Message
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(400, 'Bad Request: field "inline_keyboard" must be of type Array')
    prefix = "Bad Request: can't parse inline keyboard button: "
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise ApiError(400, prefix + 'Field "text" must be of type String')
            if not any(key in button for key in _BUTTON_ACTIONS):
                raise ApiError(400, prefix + "Text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


class MessagesMixin:
    """sendMessage & co; state lives in FakeBotAPI (see core.py)."""

    bot_user: JSON
    strict_html: bool
    _sent: list[JSON]
    _files: FileRegistry
    _target_chat: Callable[..., ChatState]  # FakeBotAPI._target_chat(params, key="chat_id")

    def _message_text(self, p: JSON, too_long: str) -> tuple[str, list[JSON]]:
        """A message's text after parse_mode, refused when empty or longer than Telegram allows."""
        text = p.get("text")
        if not isinstance(text, str) or not text:
            raise ApiError(400, "Bad Request: message text is empty")
        plain, found = self._formatted(
            text, p.get("parse_mode"), p.get("entities"), TEXT_LIMIT, too_long
        )
        if not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        return plain, found

    def _formatted(
        self, text: str, parse_mode: Any, entities: Any, limit: int, too_long: str
    ) -> tuple[str, list[JSON]]:
        """Apply parse_mode; check the UTF-16 length of the resulting plain text."""
        if parse_mode and not entities:
            mode = str(parse_mode).lower()
            if mode == "html":
                try:
                    plain, found = parse_telegram_html_entities(
                        text, strict_ampersand=self.strict_html
                    )
                except EntityParseError as exc:
                    raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
            elif mode in ("markdown", "markdownv2"):
                plain, found = text, []  # Markdown is not emulated: text is kept verbatim
            else:
                raise ApiError(400, "Bad Request: unsupported parse_mode")
        else:
            plain, found = text, list(entities or [])
        # Telegram trims surrounding whitespace before checking the length.
        if utf16_len(plain.strip()) > limit:
            raise ApiError(400, too_long)
        return plain, found

    def _caption(self, params: JSON, too_long: str) -> tuple[str, JSON]:
        caption = params.get("caption")
        if not caption:
            return "", {}
        plain, found = self._formatted(
            caption,
            params.get("parse_mode"),
            params.get("caption_entities"),
            CAPTION_LIMIT,
            too_long,
        )
        content: JSON = {"caption": plain}
        if found:
            content["caption_entities"] = found
        return plain, content

    def _reply_to(self, chat: ChatState, params: JSON) -> JSON | None:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id", params.get("reply_to_message_id"))
        if message_id is None:
            return None
        target = chat.messages.get(message_id)
        if target is None:
            if reply.get("allow_sending_without_reply", params.get("allow_sending_without_reply")):
                return None
            raise ApiError(400, "Bad Request: message to be replied not found")
        return {k: v for k, v in target.items() if k != "reply_to_message"}

    def _store(self, chat: ChatState, params: JSON, method: str, content: JSON, plain: str) -> JSON:
        """Create, store and record a message the bot sends to ``chat``."""
        check_thread(chat, params.get("message_thread_id"))
        markup = check_markup(params.get("reply_markup"))
        reply_to = self._reply_to(chat, params)
        message_id = chat.take_message_id()
        message: JSON = {"message_id": message_id}
        if chat.type == "channel":
            message["sender_chat"] = chat.json()
        else:
            message["from"] = self.bot_user
        message["chat"] = chat.json()
        message["date"] = int(time.time())
        if params.get("message_thread_id"):
            message["message_thread_id"] = params["message_thread_id"]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(content)
        if markup is not None:
            message["reply_markup"] = markup
        if params.get("link_preview_options"):
            message["link_preview_options"] = params["link_preview_options"]
        if params.get("protect_content"):
            message["has_protected_content"] = True
        chat.messages[message_id] = message
        chat.bot_message_ids.add(message_id)
        chat.last_bot_message_id = message_id
        record = dict(params)
        record.update(
            method=method,
            chat_id=chat.id,
            message_id=message_id,
            date=message["date"],
            plain_text=plain,
        )
        chat.sent.append(record)
        self._sent.append(record)
        return message

    def _api_sendMessage(self, p: JSON) -> JSON:
        chat = self._target_chat(p)
        plain, found = self._message_text(p, "Bad Request: message is too long")
        content: JSON = {"text": plain}
        if found:
            content["entities"] = found
        return self._store(chat, p, "sendMessage", content, plain)

    def _send_media(self, p: JSON, method: str) -> JSON:
        kind = MEDIA_KINDS[method]
        chat = self._target_chat(p)
        if p.get(kind) in (None, ""):
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        plain, content = self._caption(p, "Bad Request: message caption is too long")
        check_markup(p.get("reply_markup"))
        content[kind] = self._files.resolve(kind, p[kind])
        return self._store(chat, p, method, content, plain)

    def _api_sendMediaGroup(self, p: JSON) -> list[JSON]:
        chat = self._target_chat(p)
        items = p.get("media")
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            raise ApiError(400, "Bad Request: wrong number of media specified")
        group_id, prepared = str(time.monotonic_ns()), []
        for item in items:
            kind, ref = item.get("type"), item.get("media")
            if isinstance(ref, str) and ref.startswith("attach://"):
                ref = p.get(ref[len("attach://") :])  # the multipart part it points to
            plain, content = self._caption(item, "Bad Request: message caption is too long")
            content[kind] = self._files.resolve(kind, ref)
            content["media_group_id"] = group_id
            prepared.append((dict(p, caption=item.get("caption"), media=item), content, plain))
        return [
            self._store(chat, params, "sendMediaGroup", content, plain)
            for params, content, plain in prepared
        ]

    def _api_sendChatAction(self, p: JSON) -> bool:
        self._target_chat(p)
        if p.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _source(self, p: JSON, verb: str) -> JSON:
        chat, message_id = self._target_chat(p, "from_chat_id"), p.get("message_id")
        source = chat.messages.get(message_id) if isinstance(message_id, int) else None
        if source is None:
            raise ApiError(400, f"Bad Request: message to {verb} not found")
        return source

    def _copied(self, p: JSON, source: JSON) -> tuple[JSON, JSON, str]:
        content = {k: source[k] for k in _CONTENT_FIELDS if k in source}
        plain = source.get("text") or source.get("caption") or ""
        params = dict(p, **{k: source[k] for k in ("text", "caption") if k in source})
        return params, content, plain

    def _api_copyMessage(self, p: JSON) -> JSON:
        chat = self._target_chat(p)
        params, content, plain = self._copied(p, self._source(p, "copy"))
        if "caption" in p and any(k in content for k in MEDIA_FIELDS):
            content.pop("caption_entities", None)
            content.pop("caption", None)
            plain, caption = self._caption(p, "Bad Request: message caption is too long")
            content.update(caption)
            params["caption"] = p["caption"]
        return {
            "message_id": self._store(chat, params, "copyMessage", content, plain)["message_id"]
        }

    def _api_forwardMessage(self, p: JSON) -> JSON:
        chat = self._target_chat(p)
        source = self._source(p, "forward")
        params, content, plain = self._copied(p, source)
        if "sender_chat" in source:
            content["forward_origin"] = {
                "type": "channel",
                "date": source["date"],
                "chat": source["sender_chat"],
                "message_id": source["message_id"],
            }
        else:
            content["forward_origin"] = {
                "type": "user",
                "date": source["date"],
                "sender_user": source["from"],
            }
        return self._store(chat, params, "forwardMessage", content, plain)
