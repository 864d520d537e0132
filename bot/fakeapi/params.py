"""Decoding of Bot API request parameters into natural Python values.

Over HTTP, PTB sends every parameter as a form field whose value is the JSON
encoding of the value, except that strings are sent raw (see
``RequestParameter.json_value``). So ``chat_id`` arrives as ``"123"`` and
``reply_markup`` as ``'{"inline_keyboard": ...}'``, while ``text="123"`` must
stay a string. Decoding is therefore per parameter name. In-process the values
are already natural, and decoding is a no-op.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .faults import ApiError
from .jsontypes import JSON

__all__ = ["file_info", "normalize_params"]

_JSON_KEYS = frozenset(
    {
        "allowed_updates",
        "button",
        "caption_entities",
        "commands",
        "entities",
        "explanation_entities",
        "link_preview_options",
        "media",
        "menu_button",
        "message_ids",
        "options",
        "permissions",
        "prices",
        "reaction",
        "reply_markup",
        "reply_parameters",
        "results",
        "rights",
        "scope",
        "suggested_post_parameters",
    }
)
_INT_KEYS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "user_id",
        "offset",
        "limit",
        "message_thread_id",
        "reply_to_message_id",
        "cache_time",
        "max_connections",
        "until_date",
        "direct_messages_topic_id",
        "sender_chat_id",
    }
)
_NUMBER_KEYS = frozenset({"timeout", "latitude", "longitude", "duration", "width", "height"})
_BOOL_KEYS = frozenset(
    {
        "allow_paid_broadcast",
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "disable_notification",
        "disable_web_page_preview",
        "drop_pending_updates",
        "has_spoiler",
        "is_big",
        "is_personal",
        "only_if_banned",
        "protect_content",
        "revoke_messages",
        "show_alert",
        "show_caption_above_media",
        "supports_streaming",
    }
)
_INT_RE = re.compile(r"-?\d+")
_JSON_ERRORS = {
    "reply_markup": "Bad Request: can't parse reply keyboard markup JSON object",
    "entities": "Bad Request: can't parse entities JSON object",
    "caption_entities": "Bad Request: can't parse entities JSON object",
}


def file_info(filename: str | None, content: bytes, mime_type: str | None = None) -> JSON:
    """The record of one uploaded file as it appears in ``Call.params``."""
    return {"filename": filename, "size": len(content), "content": content, "mime_type": mime_type}


def _decode(key: str, value: str) -> Any:
    if key in _JSON_KEYS:
        if value[:1] not in ("[", "{"):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(
                400, _JSON_ERRORS.get(key, f"Bad Request: can't parse {key} JSON object")
            ) from None
    if key in _INT_KEYS:
        return int(value) if _INT_RE.fullmatch(value) else value
    if key in _NUMBER_KEYS:
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return value
    if key in _BOOL_KEYS:
        return value.lower() in ("true", "1")
    return value


def normalize_params(params: Mapping[str, Any]) -> JSON:
    """Return a new dict with string-encoded values decoded by parameter name."""
    out: JSON = {}
    for key, value in params.items():
        out[key] = _decode(key, value) if isinstance(value, str) else value
    return out
