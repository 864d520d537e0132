"""What a Bot API answer means for a queued message: pure classification and retry maths."""

from __future__ import annotations

import random
import warnings
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from digests.backoff import backoff_seconds
from digests.models import ChatStatus
from digests.text.telegram_html import plain_text


class Verdict(StrEnum):
    """What the sender does next with a message."""

    SENT = "sent"  # done; the message id is recorded
    RETRY = "retry"  # transient (5xx, timeout, connection): back off, bounded attempts
    FLOOD = "flood"  # 429: the whole bot waits retry_after, then the message goes again
    MIGRATED = "migrated"  # the group became a supergroup: new chat id, send again
    PLAIN_TEXT = "plain_text"  # the HTML did not parse: send again as plain text
    CHAT_CLOSED = "chat_closed"  # blocked, kicked or gone: cancel everything for the chat
    FAILED = "failed"  # will never succeed as it is: record the reason
    FATAL = "fatal"  # the bot itself is unusable (token rejected): stop sending


@dataclass(frozen=True)
class Outcome:
    """A classified answer: the verdict and what it needs."""

    verdict: Verdict
    message_id: int | None = None
    reason: str | None = None
    retry_after: float = 0.0
    new_chat_id: int | None = None
    chat_status: ChatStatus | None = None


# Edits and deletes of alerts the reader no longer has: terminal, never retried.
_GONE_MESSAGE = (
    "message to edit not found",
    "message can't be edited",
    "message to delete not found",
    "message can't be deleted",
)
_CHAT_GONE = ("chat not found", "user is deactivated", "group chat was deleted")
_LEFT = ("kicked", "not a member", "bot was removed", "have no rights to send")
SEND_METHODS = ("sendMessage", "sendPhoto")
TEXT_FIELDS = ("text", "caption")


def seconds(value: int | float | timedelta) -> float:
    """retry_after as seconds: PTB gives an int, or a timedelta with PTB_TIMEDELTA set."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def outcome_of_result(method: str, payload: dict[str, Any], result: Any) -> Outcome:
    """A successful answer: the message id sent (or edited, or deleted)."""
    if isinstance(result, dict) and "message_id" in result:
        return Outcome(Verdict.SENT, message_id=int(result["message_id"]))
    return Outcome(Verdict.SENT, message_id=payload.get("message_id"))


def outcome_of_error(error: Exception, method: str, payload: dict[str, Any]) -> Outcome:
    """What a failed call means; every exception maps to exactly one verdict."""
    reason = str(error) or type(error).__name__
    if isinstance(error, RetryAfter):
        with warnings.catch_warnings():  # PTB warns that the type changes; both are handled
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            retry_after = seconds(error.retry_after)
        return Outcome(Verdict.FLOOD, reason=reason, retry_after=retry_after)
    if isinstance(error, ChatMigrated):
        return Outcome(Verdict.MIGRATED, reason=reason, new_chat_id=int(error.new_chat_id))
    if isinstance(error, InvalidToken):
        return Outcome(Verdict.FATAL, reason=reason)
    lowered = reason.lower()
    if isinstance(error, Forbidden):
        if "deactivated" in lowered:
            status = ChatStatus.GONE
        elif any(marker in lowered for marker in _LEFT):
            status = ChatStatus.LEFT
        else:
            status = ChatStatus.BLOCKED
        return Outcome(Verdict.CHAT_CLOSED, reason=reason, chat_status=status)
    if isinstance(error, BadRequest):
        if "can't parse entities" in lowered:
            return Outcome(Verdict.PLAIN_TEXT, reason=reason)
        if "message is not modified" in lowered:
            return Outcome(Verdict.SENT, message_id=payload.get("message_id"), reason=reason)
        if any(marker in lowered for marker in _CHAT_GONE):
            return Outcome(Verdict.CHAT_CLOSED, reason=reason, chat_status=ChatStatus.GONE)
        if any(marker in lowered for marker in _GONE_MESSAGE):
            return Outcome(Verdict.FAILED, reason=reason)
        return Outcome(Verdict.FAILED, reason=reason)
    if isinstance(error, NetworkError):  # includes TimedOut and every 5xx
        return Outcome(Verdict.RETRY, reason=reason)
    if isinstance(error, TelegramError):
        return Outcome(Verdict.RETRY, reason=reason)
    return Outcome(Verdict.RETRY, reason=f"{type(error).__name__}: {reason}")


def retry_delay(attempts: int, *, base: float, cap: float, rng: random.Random) -> float:
    """Seconds before attempt `attempts + 1`: exponential, capped, with jitter (0.5-1.5x)."""
    return backoff_seconds(attempts, base=base, cap=cap) * rng.uniform(0.5, 1.5)


def as_plain_text(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload without parse mode or entities, its text or caption stripped of markup."""
    plain = {k: v for k, v in payload.items() if k not in ("parse_mode", "entities")}
    plain.pop("caption_entities", None)
    for field in TEXT_FIELDS:
        if isinstance(plain.get(field), str):
            plain[field] = plain_text(plain[field])
    return plain
