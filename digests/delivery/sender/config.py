"""How the sender behaves, and that configuration built from settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from digests.config import Settings
from digests.delivery.sender.limits import Limits
from digests.leases import process_id


@dataclass(frozen=True)
class SenderConfig:
    """How the sender behaves; `sender_config` builds it from settings."""

    instance: str
    limits: Limits = field(default_factory=Limits)
    batch_size: int = 100
    concurrency: int = 100
    max_attempts: int = 5
    backoff_base: float = 2.0
    backoff_max: float = 300.0
    poll_interval: float = 1.0
    # How long a sender's instance lease lasts: a crashed sender's rows are pending again
    # within 1.25 times this (it is renewed, and gone peers looked for, every quarter).
    lease_seconds: float = 20.0
    # Database errors are retried with backoff for this long; then the sender fails.
    give_up_after: float = 120.0
    # The overall rate shared through the database (PostgreSQL) rather than kept locally.
    shared_rate: bool = False
    flush_interval: float = 0.05
    shutdown_grace: float = 10.0
    # How stale the sender's view of cancelled alerts may be (sender/stops.py).
    stop_check_interval: float = 0.25


def sender_config(settings: Settings, *, role: str = "send") -> SenderConfig:
    """The sender's configuration; the instance id defaults to one unique to this process."""
    return SenderConfig(
        instance=settings.sender_instance_id or process_id(role),
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
        lease_seconds=settings.sender_lease_seconds,
        give_up_after=settings.sender_give_up_seconds,
        shared_rate=settings.database_url.startswith(("postgresql", "postgres://")),
    )
