"""Every Prometheus metric newsbot exports, in one place; `/metrics` serves them (bot/health.py).

Counters move where the event is recorded (a handled update, a recorded delivery outcome, a
built digest, a polled source, a finished job); the outbox depth is read from the database
when Prometheus scrapes, so every process reports the same shared queue.
"""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.models import Delivery, DeliveryStatus, Source, SourceStatus

# No `*_created` series beside every counter: they double the output and nobody alerts on them.
disable_created_metrics()  # type: ignore[no-untyped-call]  # unannotated in prometheus-client
REGISTRY = CollectorRegistry(auto_describe=True)
# Seconds from well under a handler's usual time to the digest backlog of a big newsroom.
_FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
_SLOW = (1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200)

UPDATES = Counter("newsbot_updates_total", "Updates handled, by kind.", ["kind"], registry=REGISTRY)
HANDLER_SECONDS = Histogram(
    "newsbot_handler_seconds",
    "Time to handle one update, by kind.",
    ["kind"],
    buckets=_FAST,
    registry=REGISTRY,
)
SENT = Counter(
    "newsbot_messages_sent_total",
    "Messages Telegram accepted, by kind.",
    ["kind"],
    registry=REGISTRY,
)
FAILED = Counter(
    "newsbot_messages_failed_total",
    "Messages that failed for good, by reason code.",
    ["reason"],
    registry=REGISTRY,
)
CANCELLED = Counter(
    "newsbot_messages_cancelled_total",
    "Queued messages cancelled (the chat blocked the bot, left, or is gone), by reason code.",
    ["reason"],
    registry=REGISTRY,
)
RETRIED = Counter(
    "newsbot_messages_retried_total",
    "Sends that failed transiently and were rescheduled, by reason code.",
    ["reason"],
    registry=REGISTRY,
)
FLOOD_PAUSES = Counter(
    "newsbot_flood_pauses_total", "429 answers that paused the whole bot.", registry=REGISTRY
)
FLOOD_PAUSE_SECONDS = Counter(
    "newsbot_flood_pause_seconds_total", "Seconds the bot paused for 429s.", registry=REGISTRY
)
SEND_RATE_LIMIT = Gauge(
    "newsbot_send_rate_limit",
    "The overall messages per second this sender keeps to (the achieved rate is "
    "rate(newsbot_messages_sent_total[1m])).",
    registry=REGISTRY,
)
OUTBOX_DEPTH = Gauge(
    "newsbot_outbox_depth",
    "Deliveries waiting (pending or sending), by kind and priority, read at scrape time.",
    ["kind", "priority"],
    registry=REGISTRY,
)
DIGESTS_BUILT = Counter(
    "newsbot_digests_built_total", "Digests built and queued (one per chat).", registry=REGISTRY
)
DIGEST_BUILD_SECONDS = Histogram(
    "newsbot_digest_build_seconds",
    "Duration of one run of the digest job that built something.",
    buckets=_FAST,
    registry=REGISTRY,
)
DIGEST_LATENESS = Histogram(
    "newsbot_digest_lateness_seconds",
    "A digest part's sent time minus the time it was scheduled for.",
    buckets=_SLOW,
    registry=REGISTRY,
)
INGEST_FETCHES = Counter(
    "newsbot_ingest_fetches_total",
    "Source fetches by this process, by source id and result (fetched, not_modified, failed).",
    ["source", "result"],
    registry=REGISTRY,
)
INGEST_LAG = Gauge(
    "newsbot_ingest_lag_seconds",
    "Seconds since a source (by id) was last fetched successfully, read at scrape time.",
    ["source"],
    registry=REGISTRY,
)
SOURCE_FAILURES = Gauge(
    "newsbot_source_failures",
    "Failed fetches in a row of a source (by id), read at scrape time.",
    ["source"],
    registry=REGISTRY,
)
JOB_SECONDS = Histogram(
    "newsbot_job_seconds",
    "Duration of one run of a recurring job, by job.",
    ["job"],
    buckets=_FAST,
    registry=REGISTRY,
)
READY = Gauge(
    "newsbot_ready",
    "/readyz's checks at the last scrape: database, sender, bot_api (1 passing, 0 failing).",
    ["check"],
    registry=REGISTRY,
)
BOT_API_UP = Gauge(
    "newsbot_bot_api_up",
    "1 when the last request to the Bot API got an HTTP answer, 0 when it could not connect.",
    registry=REGISTRY,
)

# The outbox reference of a digest names the moment it was scheduled for
# (digests/editions/plan.py digest_ref: "digest:20260101T080000Z").
_DIGEST_REF_FORMAT = "digest:%Y%m%dT%H%M%SZ"


def record_sent(kind: str, ref: str, now: datetime) -> None:
    """One message sent; a digest part's lateness too."""
    SENT.labels(kind=kind).inc()
    if ref.startswith("digest:"):
        try:
            scheduled = datetime.strptime(ref, _DIGEST_REF_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            return
        DIGEST_LATENESS.observe(max(0.0, (now - scheduled).total_seconds()))


class BotApiState:
    """Whether the Bot API answered at the last attempt (None: no attempt yet)."""

    reachable: bool | None = None

    @classmethod
    def answered(cls, reachable: bool) -> None:
        """Record the last attempt's result."""
        cls.reachable = reachable
        BOT_API_UP.set(1 if reachable else 0)


async def refresh_from_database(*, session: AsyncSession, now: datetime) -> None:
    """Read the shared state into its gauges: the outbox depth, each active source's health."""
    rows = await session.execute(
        select(Delivery.kind, Delivery.priority, func.count())
        .where(Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]))
        .group_by(Delivery.kind, Delivery.priority)
    )
    OUTBOX_DEPTH.clear()
    for kind, priority, count in rows:
        OUTBOX_DEPTH.labels(kind=str(kind), priority=str(priority)).set(count)
    sources = await session.execute(
        select(Source.id, Source.created_at, Source.last_success_at, Source.error_count).where(
            Source.status == SourceStatus.ACTIVE
        )
    )
    INGEST_LAG.clear()
    SOURCE_FAILURES.clear()
    for source_id, created_at, last_success_at, error_count in sources:
        since = _aware(last_success_at or created_at)
        INGEST_LAG.labels(source=str(source_id)).set(max(0.0, (now - since).total_seconds()))
        SOURCE_FAILURES.labels(source=str(source_id)).set(error_count)


def _aware(moment: datetime) -> datetime:
    # SQLite gives naive UTC datetimes back.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def exposition() -> bytes:
    """The metrics in Prometheus text format."""
    return generate_latest(REGISTRY)
