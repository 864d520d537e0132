"""How the sender behaves, and that configuration built from settings."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

from digests.config import Settings
from digests.delivery.sender.limits import Limits


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
    stale_after: float = 600.0
    flush_interval: float = 0.05
    shutdown_grace: float = 10.0
    # How stale the sender's view of cancelled alerts may be (sender/stops.py).
    stop_check_interval: float = 0.25


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
