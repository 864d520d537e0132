"""react() on its own: each classified answer becomes one decision; nothing else changes."""

from __future__ import annotations

import copy
import random
from datetime import UTC, datetime, timedelta

import pytest

from digests.delivery.failures import FailureCode
from digests.delivery.sender.claims import Claimed
from digests.delivery.sender.config import SenderConfig
from digests.delivery.sender.outcomes import Outcome, Verdict
from digests.delivery.sender.react import (
    PLAIN_TEXT_NOTE,
    CloseChat,
    Fail,
    FollowMigration,
    PauseBot,
    RecordSent,
    ResendAsPlainText,
    RetryAt,
    StopSending,
    react,
)
from digests.models import ChatStatus, DeliveryKind

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
CONFIG = SenderConfig(instance="test", max_attempts=3, backoff_base=2.0, backoff_max=300.0)


def claimed(**changes) -> Claimed:
    row = Claimed(
        id=11,
        chat_id=5,
        kind=DeliveryKind.DIGEST,
        ref="e1",
        part=0,
        method="sendMessage",
        payload={"text": "<b>Breaking</b> news", "parse_mode": "HTML"},
        priority=30,
        attempts=0,
    )
    for name, value in changes.items():
        setattr(row, name, value)
    return row


def decide(outcome: Outcome, row: Claimed | None = None, seed: int = 1):
    row = row or claimed()
    before = copy.deepcopy(row)
    decision = react(outcome, row, config=CONFIG, now=NOW, rng=random.Random(seed))
    assert row == before  # react only decides; the loop carries it out
    return decision


def test_a_sent_message_records_its_id():
    assert decide(Outcome(Verdict.SENT, message_id=77)) == RecordSent(77)


def test_an_unchanged_edit_counts_as_sent_with_its_code():
    outcome = Outcome(
        Verdict.SENT, message_id=9, code=FailureCode.NOT_MODIFIED, reason="Message is not modified"
    )
    assert decide(outcome) == RecordSent(
        9, code=FailureCode.NOT_MODIFIED, note="Message is not modified"
    )


def test_a_429_pauses_the_whole_bot_for_retry_after():
    outcome = Outcome(Verdict.FLOOD, code=FailureCode.RATE_LIMITED, retry_after=30.0)
    assert decide(outcome) == PauseBot(30.0)


def test_a_migration_is_followed():
    outcome = Outcome(Verdict.MIGRATED, code=FailureCode.MIGRATED, new_chat_id=-1001)
    assert decide(outcome) == FollowMigration(-1001)


def test_html_that_does_not_parse_goes_again_as_plain_text_once():
    reason = "Can't parse entities: unclosed start tag"
    outcome = Outcome(Verdict.PLAIN_TEXT, code=FailureCode.BAD_HTML, reason=reason)

    first = decide(outcome)
    assert first == ResendAsPlainText({"text": "Breaking news"}, PLAIN_TEXT_NOTE + reason, reason)

    again = claimed(payload=dict(first.payload), note=first.note, note_code=FailureCode.PLAIN_TEXT)
    assert decide(outcome, again) == Fail(1, FailureCode.BAD_HTML, reason)


def test_the_plain_text_copy_records_why_when_it_is_sent():
    row = claimed(note=PLAIN_TEXT_NOTE + "Can't parse", note_code=FailureCode.PLAIN_TEXT)
    assert decide(Outcome(Verdict.SENT, message_id=3), row) == RecordSent(
        3, code=FailureCode.PLAIN_TEXT, note=PLAIN_TEXT_NOTE + "Can't parse"
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (FailureCode.BLOCKED, ChatStatus.BLOCKED),
        (FailureCode.KICKED, ChatStatus.LEFT),
        (FailureCode.DEACTIVATED, ChatStatus.GONE),
    ],
)
def test_a_closed_chat_fails_the_row_and_closes_the_chat(code, status):
    outcome = Outcome(Verdict.CHAT_CLOSED, code=code, reason="Forbidden: …", chat_status=status)
    decision = decide(outcome, claimed(attempts=1))
    assert decision == CloseChat(status, 2, code, "Forbidden: …")
    assert decision.cancel_reason == f"chat {status.value}: Forbidden: …"


def test_a_transient_failure_is_retried_later_with_jittered_backoff():
    outcome = Outcome(Verdict.RETRY, code=FailureCode.SERVER_ERROR, reason="Bad Gateway")
    decision = decide(outcome, claimed(attempts=1))
    assert isinstance(decision, RetryAt)
    assert (decision.attempts, decision.code, decision.reason) == (
        2,
        FailureCode.SERVER_ERROR,
        "Bad Gateway",
    )
    # The second attempt waits base * 2 = 4 s, jittered to 0.5-1.5x.
    assert NOW + timedelta(seconds=2) <= decision.at <= NOW + timedelta(seconds=6)
    assert decide(outcome, claimed(attempts=1), seed=1) == decision  # the rng decides alone


def test_the_last_attempt_gives_up_with_the_reason():
    outcome = Outcome(Verdict.RETRY, code=FailureCode.TIMEOUT, reason="Timed out")
    assert decide(outcome, claimed(attempts=2)) == Fail(
        3, FailureCode.GAVE_UP, "gave up after 3 attempts: Timed out"
    )


def test_a_message_that_cannot_succeed_fails_with_its_code():
    outcome = Outcome(
        Verdict.FAILED, code=FailureCode.MESSAGE_GONE, reason="Message to edit not found"
    )
    assert decide(outcome) == Fail(1, FailureCode.MESSAGE_GONE, "Message to edit not found")


def test_a_rejected_token_stops_sending():
    outcome = Outcome(Verdict.FATAL, code=FailureCode.TOKEN_REJECTED, reason="Unauthorized")
    assert decide(outcome) == StopSending("Unauthorized")
