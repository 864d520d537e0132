"""What to do about one classified answer (pure): a decision the send loop then carries out.

RecordSent         done: keep the message id (and a note when it went differently)
PauseBot           429: the whole bot waits `seconds`, then the message goes again
FollowMigration    the group is a supergroup now: remember its id, send there
ResendAsPlainText  the HTML did not parse: send this payload instead
                   (or, code thread_gone, the forum thread is gone: send it to General)
RetryAt            transient: try again at `at`, attempts bounded
Fail               will never succeed as it is: record why
CloseChat          blocked, kicked or gone: fail this row, cancel the chat's others
StopSending        the bot token is rejected: put the row back, stop
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from digests.delivery.failures import FailureCode
from digests.delivery.sender.claims import Claimed
from digests.delivery.sender.config import SenderConfig
from digests.delivery.sender.outcomes import (
    Outcome,
    Verdict,
    as_plain_text,
    retry_delay,
    without_thread,
)
from digests.models import ChatStatus

PLAIN_TEXT_NOTE = "sent as plain text after: "
GENERAL_NOTE = "sent to the General thread after: "
# Why rows are cancelled when newsbot already knows their chat is closed.
CLOSED_CHAT_CODES = {
    ChatStatus.BLOCKED: FailureCode.BLOCKED,
    ChatStatus.LEFT: FailureCode.KICKED,
    ChatStatus.GONE: FailureCode.CHAT_GONE,
    ChatStatus.MIGRATED: FailureCode.MIGRATED,
}


@dataclass(frozen=True)
class RecordSent:
    """Sent (or edited, or deleted): keep the message id, and why it went differently if it did."""

    message_id: int | None
    code: FailureCode | None = None
    note: str | None = None


@dataclass(frozen=True)
class PauseBot:
    """A 429: nothing goes for `seconds`, then the message goes again."""

    seconds: float


@dataclass(frozen=True)
class FollowMigration:
    """The group became a supergroup: send there from now on."""

    new_chat_id: int


@dataclass(frozen=True)
class ResendAsPlainText:
    """The HTML did not parse (a template bug): send `payload` instead, keeping `note`. With
    `code` thread_gone: the forum thread is deleted or closed, `payload` goes to General (the
    row ends sent with that code; digests/desk/threads.py then tells the forum's admins)."""

    payload: Mapping[str, Any]
    note: str
    reason: str
    code: FailureCode = FailureCode.PLAIN_TEXT


@dataclass(frozen=True)
class RetryAt:
    """A transient failure: try again at `at`; `attempts` made so far."""

    at: datetime
    attempts: int
    code: FailureCode
    reason: str


@dataclass(frozen=True)
class Fail:
    """The message will never go as it is."""

    attempts: int
    code: FailureCode
    reason: str


@dataclass(frozen=True)
class CloseChat:
    """The chat takes no more messages: fail this one, cancel the chat's others, mark it."""

    status: ChatStatus
    attempts: int
    code: FailureCode
    reason: str

    @property
    def cancel_reason(self) -> str:
        """What the chat's other rows record."""
        return f"chat {self.status.value}: {self.reason}"


@dataclass(frozen=True)
class StopSending:
    """The bot itself is unusable (token rejected): put the row back and stop."""

    reason: str


Decision = (
    RecordSent
    | PauseBot
    | FollowMigration
    | ResendAsPlainText
    | RetryAt
    | Fail
    | CloseChat
    | StopSending
)


def react(
    outcome: Outcome, row: Claimed, *, config: SenderConfig, now: datetime, rng: random.Random
) -> Decision:
    """What to do about `outcome` of sending `row` at `now`."""
    verdict = outcome.verdict
    code = outcome.code or FailureCode.OTHER
    reason = outcome.reason or code.value
    attempts = row.attempts + 1
    if verdict is Verdict.SENT:
        return RecordSent(
            outcome.message_id, code=row.note_code or outcome.code, note=row.note or outcome.reason
        )
    if verdict is Verdict.FLOOD:
        return PauseBot(outcome.retry_after)
    if verdict is Verdict.MIGRATED:
        assert outcome.new_chat_id is not None
        return FollowMigration(outcome.new_chat_id)
    if verdict is Verdict.PLAIN_TEXT:
        if row.note_code is FailureCode.PLAIN_TEXT:  # plain text that still did not parse
            return Fail(attempts, code, reason)
        return ResendAsPlainText(as_plain_text(row.payload), PLAIN_TEXT_NOTE + reason, reason)
    if verdict is Verdict.THREAD_GONE:
        payload = without_thread(row.payload)
        return ResendAsPlainText(payload, GENERAL_NOTE + reason, reason, FailureCode.THREAD_GONE)
    if verdict is Verdict.CHAT_CLOSED:
        assert outcome.chat_status is not None
        return CloseChat(outcome.chat_status, attempts, code, reason)
    if verdict is Verdict.RETRY:
        if attempts >= config.max_attempts:
            return Fail(
                attempts, FailureCode.GAVE_UP, f"gave up after {attempts} attempts: {reason}"
            )
        delay = retry_delay(attempts, base=config.backoff_base, cap=config.backoff_max, rng=rng)
        return RetryAt(now + timedelta(seconds=delay), attempts, code, reason)
    if verdict is Verdict.FATAL:
        return StopSending(reason)
    return Fail(attempts, code, reason)
