"""The sender: drains the outbox into Telegram at its limits, losing nothing.

    claims.py    claim due rows (SKIP LOCKED on PostgreSQL), record outcomes, recover claims
    limits.py    the pacer: overall rate, per chat, per group; paid broadcasts
    outcomes.py  what each Bot API answer means (pure)
    react.py     what the sender does about it
    loop.py      the claim / dispatch / record tasks

Failure classes, as PTB raises them:
    RetryAfter (429)          the whole bot waits retry_after, the message goes again
    NetworkError, TimedOut    (5xx, timeouts, dropped connections) back off, bounded attempts
    Forbidden (403)           chat blocked (left: kicked, gone: deactivated); rows cancelled
    BadRequest chat not found chat gone; its rows cancelled
    ChatMigrated              chat id updated, the message goes again
    BadRequest can't parse    sent again as plain text, logged as a template bug
    BadRequest other          failed with the reason (edits/deletes of vanished messages too)
"""

from __future__ import annotations

import socket

from digests.config import Settings
from digests.delivery.sender.limits import Limits, Pacer
from digests.delivery.sender.loop import Sender, SenderConfig, SenderStats
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


def sender_config(settings: Settings, *, role: str = "send") -> SenderConfig:
    """The sender's configuration from settings; the instance id defaults to host and role."""
    return SenderConfig(
        instance=settings.sender_instance_id or f"{socket.gethostname()}:{role}"[:64],
        limits=Limits(
            rate=settings.sender_rate,
            chat_interval=settings.sender_chat_interval,
            group_per_minute=settings.sender_group_per_minute,
            paid_broadcast=settings.sender_paid_broadcast,
            paid_rate=settings.sender_paid_rate,
        ),
        batch_size=settings.sender_batch_size,
        concurrency=settings.sender_concurrency,
        max_attempts=settings.sender_max_attempts,
        backoff_base=settings.sender_backoff_base,
        backoff_max=settings.sender_backoff_max,
        poll_interval=settings.sender_poll_interval,
        stale_after=settings.sender_stale_after,
    )
