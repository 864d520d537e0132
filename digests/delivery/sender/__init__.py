"""The sender: drains the outbox into Telegram at its limits, losing nothing.

    claims.py    claim due rows (SKIP LOCKED on PostgreSQL), record outcomes, recover claims
    limits.py    the pacer: overall rate, per chat, per group; paid broadcasts
    outcomes.py  what each Bot API answer means (pure)
    react.py     what to do about it: a decision (pure)
    lanes.py     what the loop holds in memory: rows per chat, counters
    loop.py      the claim / dispatch / record tasks, carrying out react's decisions
    stops.py     claimed rows of an alert the desk cancelled or retracted: dropped before dispatch
    config.py    how it behaves, from settings

Failure classes, as PTB raises them (the codes recorded: digests.delivery.failures):
    RetryAfter (429)          the whole bot waits retry_after, the message goes again
    NetworkError, TimedOut    (5xx, timeouts, dropped connections) back off, bounded attempts
    Forbidden (403)           chat blocked (left: kicked, gone: deactivated); rows cancelled
    BadRequest chat not found chat gone; its rows cancelled
    ChatMigrated              chat id updated, the message goes again
    BadRequest can't parse    sent again as plain text, logged as a template bug
    BadRequest other          failed with the reason (edits/deletes of vanished messages too)
"""

from __future__ import annotations

from digests.delivery.sender.config import SenderConfig, sender_config
from digests.delivery.sender.lanes import SenderStats
from digests.delivery.sender.limits import Limits, Pacer
from digests.delivery.sender.loop import Sender
from digests.delivery.sender.outcomes import Outcome, Verdict

__all__ = [
    "Limits",
    "Outcome",
    "Pacer",
    "Sender",
    "SenderConfig",
    "SenderStats",
    "Verdict",
    "sender_config",
]
