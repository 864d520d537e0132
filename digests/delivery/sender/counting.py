"""The sender's metrics: each carried-out decision moves its counter (digests/metrics.py)."""

from __future__ import annotations

from datetime import datetime

from digests import metrics
from digests.delivery.failures import FailureCode
from digests.delivery.sender.claims import Claimed
from digests.delivery.sender.react import CloseChat, Decision, Fail, PauseBot, RecordSent, RetryAt


def count_decision(decision: Decision, row: Claimed, now: datetime) -> None:
    """Count what the loop is about to carry out for `row`."""
    match decision:
        case RecordSent():
            metrics.record_sent(str(row.kind), row.ref, now)
        case PauseBot(seconds=seconds):
            metrics.FLOOD_PAUSES.inc()
            metrics.FLOOD_PAUSE_SECONDS.inc(seconds)
        case RetryAt(code=code):
            metrics.RETRIED.labels(reason=str(code)).inc()
        case Fail(code=code) | CloseChat(code=code):
            metrics.FAILED.labels(reason=str(code)).inc()


def count_cancelled(code: FailureCode) -> None:
    """A claimed row cancelled because its chat is closed."""
    metrics.CANCELLED.labels(reason=str(code)).inc()
