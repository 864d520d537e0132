"""Desk figures: subscribers by topic, joins and leaves by campaign, deliveries and failures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from digests.db import is_postgres
from digests.delivery.failures import FailureCode, read_code
from digests.desk.retention import Retention, collect_retention
from digests.models import (
    Chat,
    ChatEvent,
    ChatStatus,
    Delivery,
    DeliveryStatus,
    Subscription,
    Topic,
)

DIRECT = ""  # joins without a deep-link campaign
NOT_LEAVES = {"join", "migrated"}


@dataclass(frozen=True)
class Stats:
    """Everything /stats and `newsbot stats` show, for the last `len(days)` days."""

    days: list[date]
    active_chats: int
    subscribers: list[tuple[str, int]]
    joins: dict[str, list[int]]
    leaves: dict[str, list[int]]
    sent: list[int]
    failed: list[int]
    failures: list[tuple[FailureCode, int]]
    # Joins per campaign over 90 days, and how many stayed 7 and 30 days (desk/retention.py).
    retention: list[Retention] = field(default_factory=list)

    @property
    def total_joins(self) -> int:
        """Joins over the whole window."""
        return sum(sum(counts) for counts in self.joins.values())

    @property
    def total_leaves(self) -> int:
        """Leaves, blocks and stops over the whole window."""
        return sum(sum(counts) for counts in self.leaves.values())


def day_range(now: datetime, days: int) -> list[date]:
    """The last `days` UTC dates, oldest first, ending today."""
    today = now.date()
    return [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def per_day(rows: Iterable[tuple[date, str, int]], days: Sequence[date]) -> dict[str, list[int]]:
    """(day, key, count) rows as one count per day for each key, keys sorted by total."""
    index = {day: position for position, day in enumerate(days)}
    series: dict[str, list[int]] = {}
    for day, key, count in rows:
        if day in index:
            series.setdefault(key, [0] * len(days))[index[day]] += count
    return dict(sorted(series.items(), key=lambda item: (-sum(item[1]), item[0])))


def events_per_day(
    events: Iterable[tuple[datetime, str, str | None]], days: Sequence[date]
) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Joins and leaves (left, blocked, stopped) per day by campaign."""
    joins: list[tuple[date, str, int]] = []
    leaves: list[tuple[date, str, int]] = []
    for at, event, campaign in events:
        if event == "join":
            joins.append((at.date(), campaign or DIRECT, 1))
        elif event not in NOT_LEAVES:
            leaves.append((at.date(), campaign or DIRECT, 1))
    return per_day(joins, days), per_day(leaves, days)


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _utc_day(session: AsyncSession, column: InstrumentedAttribute[Any]) -> ColumnElement[object]:
    if is_postgres(session):
        return func.date_trunc("day", func.timezone("UTC", column))
    return func.date(column)  # SQLite keeps UTC datetimes as text


async def _daily(
    session: AsyncSession,
    column: InstrumentedAttribute[Any],
    status: DeliveryStatus,
    since: datetime,
) -> list[tuple[date, str, int]]:
    day = _utc_day(session, column)
    rows = await session.execute(
        select(day, func.count()).where(Delivery.status == status, column >= since).group_by(day)
    )
    return [(_as_date(value), "all", count) for value, count in rows.all()]


async def collect_stats(*, session: AsyncSession, now: datetime, days: int = 14) -> Stats:
    """The desk's figures over the last `days` days (UTC)."""
    span = day_range(now, days)
    since = datetime.combine(span[0], datetime.min.time(), tzinfo=now.tzinfo)
    active = await session.scalar(
        select(func.count()).select_from(Chat).where(Chat.status == ChatStatus.ACTIVE)
    )
    subscribers = (
        await session.execute(
            select(Topic.name, func.count(Subscription.chat_id))
            .join(Subscription, Subscription.topic_id == Topic.id)
            .join(Chat, (Chat.id == Subscription.chat_id) & (Chat.status == ChatStatus.ACTIVE))
            .where(Topic.active)
            .group_by(Topic.id, Topic.name, Topic.position)
            .order_by(Topic.position)
        )
    ).all()
    events = await session.execute(
        select(ChatEvent.at, ChatEvent.event, ChatEvent.campaign).where(ChatEvent.at >= since)
    )
    joins, leaves = events_per_day(events.all(), span)
    sent = per_day(await _daily(session, Delivery.sent_at, DeliveryStatus.SENT, since), span)
    failed = per_day(await _daily(session, Delivery.created_at, DeliveryStatus.FAILED, since), span)
    reasons: Counter[FailureCode] = Counter()
    for code, count in (
        await session.execute(
            select(Delivery.error_code, func.count())
            .where(Delivery.status == DeliveryStatus.FAILED, Delivery.created_at >= since)
            .group_by(Delivery.error_code)
        )
    ).all():
        reasons[read_code(code)] += count
    return Stats(
        days=span,
        active_chats=active or 0,
        subscribers=[(name, count) for name, count in subscribers],
        joins=joins,
        leaves=leaves,
        sent=sent.get("all", [0] * days),
        failed=failed.get("all", [0] * days),
        failures=sorted(reasons.items(), key=lambda item: (-item[1], item[0])),
        retention=await collect_retention(session=session, now=now),
    )
