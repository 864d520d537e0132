"""The fake's one data type: a JSON object as decoded, e.g. a Message or a call's params."""

from __future__ import annotations

from typing import Any, TypeAlias

__all__ = ["JSON"]

# Bot API objects, request parameters and response bodies: keys are strings, values anything
# JSON (and, for uploads, bytes). Telegram's schema is far too wide to spell out here.
JSON: TypeAlias = dict[str, Any]
