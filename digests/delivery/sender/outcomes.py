"""What a Bot API answer means for a queued message: pure classification and retry maths."""

from __future__ import annotations

import random
import warnings
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from digests.backoff import backoff_seconds
from digests.delivery.failures import FailureCode, failure_code
from digests.models import ChatStatus
from digests.text.telegram_html import plain_text


class Verdict(StrEnum):
    """What the sender does next with a message."""

    SENT = "sent"  # done; the message id is recorded
    RETRY = "retry"  # transient (5xx, timeout, connection): back off, bounded attempts
    FLOOD = "flood"  # 429: the whole bot waits retry_after, then the message goes again
    MIGRATED = "migrated"  # the group became a supergroup: new chat id, send again
    PLAIN_TEXT = "plain_text"  # the HTML did not parse: send again as plain text
    THREAD_GONE = "thread_gone"  # the forum thread is deleted or closed: send to General
    CHAT_CLOSED = "chat_closed"  # blocked, kicked or gone: cancel everything for the chat
    FAILED = "failed"  # will never succeed as it is: record the reason
    FATAL = "fatal"  # the bot itself is unusable (token rejected): stop sending


@dataclass(frozen=True)
class Outcome:
    """A classified answer: the verdict, why (a code and Telegram's words), and what it needs."""

    verdict: Verdict
    message_id: int | None = None
    code: FailureCode | None = None
    reason: str | None = None
    retry_after: float = 0.0
    new_chat_id: int | None = None
    chat_status: ChatStatus | None = None


# What a 403 (or a 400 saying the chat or user is gone) makes of the chat.
_CLOSES_AS = {
    FailureCode.BLOCKED: ChatStatus.BLOCKED,
    FailureCode.FORBIDDEN: ChatStatus.BLOCKED,
    FailureCode.KICKED: ChatStatus.LEFT,
    FailureCode.NO_RIGHTS: ChatStatus.LEFT,
    FailureCode.DEACTIVATED: ChatStatus.GONE,
    FailureCode.CHAT_NOT_FOUND: ChatStatus.GONE,
}
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
    code = failure_code(error)
    reason = str(error) or type(error).__name__
    if not isinstance(error, TelegramError):
        reason = f"{type(error).__name__}: {reason}"
    if isinstance(error, RetryAfter):
        with warnings.catch_warnings():  # PTB warns that the type changes; both are handled
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            retry_after = seconds(error.retry_after)
        return Outcome(Verdict.FLOOD, code=code, reason=reason, retry_after=retry_after)
    if isinstance(error, ChatMigrated):
        new_chat_id = int(error.new_chat_id)
        return Outcome(Verdict.MIGRATED, code=code, reason=reason, new_chat_id=new_chat_id)
    if code is FailureCode.TOKEN_REJECTED:
        return Outcome(Verdict.FATAL, code=code, reason=reason)
    closes_as = _CLOSES_AS.get(code)
    if closes_as is not None and (isinstance(error, Forbidden) or closes_as is ChatStatus.GONE):
        return Outcome(Verdict.CHAT_CLOSED, code=code, reason=reason, chat_status=closes_as)
    if code is FailureCode.BAD_HTML:
        return Outcome(Verdict.PLAIN_TEXT, code=code, reason=reason)
    if code is FailureCode.THREAD_GONE and "message_thread_id" in payload:
        return Outcome(Verdict.THREAD_GONE, code=code, reason=reason)
    if code is FailureCode.NOT_MODIFIED:
        message_id = payload.get("message_id")
        return Outcome(Verdict.SENT, message_id=message_id, code=code, reason=reason)
    if isinstance(error, BadRequest):  # edits and deletes of vanished messages among them
        return Outcome(Verdict.FAILED, code=code, reason=reason)
    # NetworkError (TimedOut, every 5xx), any other TelegramError, and the unexpected.
    return Outcome(Verdict.RETRY, code=code, reason=reason)


def retry_delay(attempts: int, *, base: float, cap: float, rng: random.Random) -> float:
    """Seconds before attempt `attempts + 1`: exponential, capped, with jitter (0.5-1.5x)."""
    return backoff_seconds(attempts, base=base, cap=cap) * rng.uniform(0.5, 1.5)


def without_thread(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload for the chat's General thread."""
    return {k: v for k, v in payload.items() if k != "message_thread_id"}


def as_plain_text(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload without parse mode or entities, its text or caption stripped of markup."""
    plain = {k: v for k, v in payload.items() if k not in ("parse_mode", "entities")}
    plain.pop("caption_entities", None)
    for field in TEXT_FIELDS:
        if isinstance(plain.get(field), str):
            plain[field] = plain_text(plain[field])
    return plain
