"""Source scheduling: next fetch times, backoff, pausing after failures, and the owners' notice.

The due-time maths is pure (`next_fetch_after_success`, `backoff_delay`); the rest are query
functions that take `*, session` and never commit. Adding, pausing, resuming and removing a
source by hand is administration: `digests.desk.sources_admin`, for the desk and the CLI alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.backoff import backoff_seconds
from digests.delivery.outbox import OutgoingMessage, enqueue
from digests.models import Chat, ChatType, DeliveryKind, Priority, Source, SourceKind, SourceStatus
from digests.text.render import Renderer


@dataclass(frozen=True)
class Schedule:
    """Bounds on how often a source is fetched, and how failures slow it down."""

    default_interval: timedelta = timedelta(minutes=15)
    min_interval: timedelta = timedelta(minutes=5)
    max_interval: timedelta = timedelta(hours=6)
    backoff_base: timedelta = timedelta(minutes=5)
    backoff_max: timedelta = timedelta(hours=12)
    max_failures: int = 8


def next_fetch_after_success(
    now: datetime, *, ttl_seconds: int | None, max_age: int | None, schedule: Schedule
) -> datetime:
    """When to fetch again: the feed's TTL or Cache-Control max-age, within the bounds."""
    hints = [s for s in (ttl_seconds, max_age) if s]
    interval = timedelta(seconds=max(hints)) if hints else schedule.default_interval
    interval = max(schedule.min_interval, min(schedule.max_interval, interval))
    return now + interval


def backoff_delay(
    error_count: int, schedule: Schedule, retry_after: int | None = None
) -> timedelta:
    """Exponential backoff after the n-th consecutive failure (n ≥ 1), honouring Retry-After."""
    delay = timedelta(
        seconds=backoff_seconds(
            error_count,
            base=schedule.backoff_base.total_seconds(),
            cap=schedule.backoff_max.total_seconds(),
        )
    )
    if retry_after:
        delay = max(delay, min(schedule.backoff_max, timedelta(seconds=retry_after)))
    return delay


def record_success(
    source: Source,
    *,
    now: datetime,
    schedule: Schedule,
    etag: str | None,
    last_modified: str | None,
    ttl_seconds: int | None,
    max_age: int | None,
) -> None:
    """A fetch worked (200 or 304): reset the failure count and schedule the next one."""
    source.etag = etag[:255] if etag else None
    source.last_modified = last_modified[:64] if last_modified else None
    source.last_fetch_at = now
    source.last_success_at = now
    source.error_count = 0
    source.last_error = None
    source.next_fetch_at = next_fetch_after_success(
        now, ttl_seconds=ttl_seconds, max_age=max_age, schedule=schedule
    )


def record_failure(
    source: Source, *, now: datetime, reason: str, schedule: Schedule, retry_after: int | None
) -> bool:
    """A fetch failed: back off, and pause after too many failures; True when paused now."""
    source.last_fetch_at = now
    source.error_count += 1
    source.last_error = reason[:1000]
    source.next_fetch_at = now + backoff_delay(source.error_count, schedule, retry_after)
    if source.error_count >= schedule.max_failures and source.status is SourceStatus.ACTIVE:
        source.status = SourceStatus.PAUSED
        source.paused_reason = f"{source.error_count} failures in a row; last: {reason}"[:1000]
        return True
    return False


# How long a claimed source stays out of other pollers' reach while one fetches and stores it;
# its outcome sets the real next fetch time. A poller that dies mid-run delays it this much.
CLAIM_HOLD = timedelta(minutes=10)


async def due_sources(*, session: AsyncSession, now: datetime, limit: int = 100) -> list[Source]:
    """Claim the active feed and file sources whose next fetch time has come, most overdue first.

    Each is locked (SKIP LOCKED on PostgreSQL, so concurrent pollers take different ones) and
    its next fetch moved CLAIM_HOLD on: with several `newsbot run` processes every feed is
    fetched once. The caller's commit makes the claim; its outcome then schedules the source.
    """
    statement = (
        select(Source)
        .where(
            Source.status == SourceStatus.ACTIVE,
            Source.kind.in_([SourceKind.FEED, SourceKind.FILE]),
            or_(Source.next_fetch_at.is_(None), Source.next_fetch_at <= now),
        )
        .order_by(Source.priority.desc(), Source.next_fetch_at.asc().nulls_first())
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    sources = list(await session.scalars(statement))
    for source in sources:
        source.next_fetch_at = now + CLAIM_HOLD
    return sources


async def notify_paused(
    *,
    session: AsyncSession,
    source: Source,
    admin_ids: list[int],
    renderer: Renderer,
    now: datetime,
) -> int:
    """Queue the 'source paused' notice to each owner who has a private chat; returns how many."""
    chats = list(
        await session.scalars(
            select(Chat).where(Chat.telegram_id.in_(admin_ids), Chat.type == ChatType.PRIVATE)
        )
    )
    messages = [
        OutgoingMessage(
            chat_id=chat.id,
            kind=DeliveryKind.NOTICE,
            ref=f"source-paused:{source.id}:{now:%Y%m%dT%H%M%S}",
            payload={
                "text": renderer.render(
                    "desk/source_paused.html", language=chat.language, source=source
                ),
                "parse_mode": "HTML",
            },
            priority=Priority.NOTICE,
        )
        for chat in chats
    ]
    await enqueue(session=session, messages=messages, now=now)
    return len(messages)
