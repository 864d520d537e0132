"""What the sender does with each classified answer: requeue, back off, close a chat, record."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from digests.delivery.sender.claims import Claimed
from digests.delivery.sender.outcomes import Outcome, Verdict, as_plain_text, retry_delay
from digests.models.base import utcnow

if TYPE_CHECKING:
    from digests.delivery.sender.loop import ChatLane, Sender

logger = logging.getLogger("digests.delivery.sender")
PLAIN_TEXT_NOTE = "sent as plain text after: "


def react(sender: Sender, lane: ChatLane, row: Claimed, outcome: Outcome) -> None:
    """Turn one outcome into queued database writes and in-memory changes."""
    now = utcnow()
    writes, stats = sender.writes, sender.stats
    verdict = outcome.verdict
    if verdict is Verdict.SENT:
        stats.sent += 1
        note = row.note or (outcome.reason if outcome.reason else None)
        writes.sent.append(
            {"b_id": row.id, "b_message_id": outcome.message_id, "b_at": now, "b_error": note}
        )
    elif verdict is Verdict.FLOOD:
        stats.floods += 1
        logger.warning("429 from Telegram: the whole bot waits %.1f s", outcome.retry_after)
        sender.pacer.pause(sender.clock() + outcome.retry_after)
        _requeue(sender, lane, row)
    elif verdict is Verdict.MIGRATED:
        stats.migrations += 1
        assert outcome.new_chat_id is not None
        logger.info("chat #%d moved to supergroup %d", lane.chat_id, outcome.new_chat_id)
        lane.telegram_id, lane.group = outcome.new_chat_id, True
        writes.migrated_chats.append(
            {"b_chat": lane.chat_id, "b_new": lane.telegram_id, "b_at": now}
        )
        _requeue(sender, lane, row)
    elif verdict is Verdict.PLAIN_TEXT and not (row.note or "").startswith(PLAIN_TEXT_NOTE):
        stats.plain_text += 1
        # Loud on purpose: a message that does not parse is a template bug to fix.
        logger.error(
            "template bug: delivery %d (%s %s part %d) did not parse, sending it as plain text: %s",
            row.id,
            row.kind,
            row.ref,
            row.part,
            outcome.reason,
        )
        row.payload = as_plain_text(row.payload)
        row.note = PLAIN_TEXT_NOTE + (outcome.reason or "")
        _requeue(sender, lane, row)
    elif verdict is Verdict.CHAT_CLOSED:
        assert outcome.chat_status is not None
        status = outcome.chat_status.value
        _fail(sender, row, outcome.reason or status)
        writes.closed_chats.append(
            {
                "b_chat": lane.chat_id,
                "b_status": outcome.chat_status,
                "b_at": now,
                "b_error": f"chat {status}: {outcome.reason}",
            }
        )
        for _, _, queued in lane.rows:
            sender.record_cancelled(queued, f"chat {status}: {outcome.reason}")
        sender.in_memory -= len(lane.rows)
        lane.rows.clear()
    elif verdict is Verdict.RETRY:
        _retry(sender, lane, row, outcome.reason or "unknown error")
    elif verdict is Verdict.FATAL:
        logger.critical("Telegram rejected the bot token; the sender stops: %s", outcome.reason)
        writes.released.append({"b_id": row.id, "b_next": now})
        sender.stop()
    else:  # FAILED, or plain text that still did not parse
        _fail(sender, row, outcome.reason or "failed")


def _requeue(sender: Sender, lane: ChatLane, row: Claimed) -> None:
    lane.push(row)
    sender.in_memory += 1


def _fail(sender: Sender, row: Claimed, reason: str) -> None:
    sender.stats.failed += 1
    logger.warning("delivery %d (%s %s) failed: %s", row.id, row.kind, row.ref, reason)
    sender.writes.failed.append({"b_id": row.id, "b_attempts": row.attempts + 1, "b_error": reason})


def _retry(sender: Sender, lane: ChatLane, row: Claimed, reason: str) -> None:
    attempts = row.attempts + 1
    config = sender.config
    if attempts >= config.max_attempts:
        _fail(sender, row, f"gave up after {attempts} attempts: {reason}")
        return
    sender.stats.retried += 1
    delay = retry_delay(attempts, base=config.backoff_base, cap=config.backoff_max, rng=sender.rng)
    next_at = utcnow() + timedelta(seconds=delay)
    sender.writes.retried.append(
        {"b_id": row.id, "b_attempts": attempts, "b_next": next_at, "b_error": reason}
    )
