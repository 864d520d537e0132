"""Joins by campaign, and how many of those readers stayed 7 and 30 days.

A reader stayed N days when its chat sent no leave, block or stop within N days of joining.
Only joins at least N days old count towards that figure, so a young campaign shows how many
of its joins are old enough to tell ("kept 12 of 15"). chat_events outlive a chat's own data,
so a reader who pressed /stop is still counted as one who left.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.models import ChatEvent

RETENTION_DAYS = (7, 30)
WINDOW = timedelta(days=90)  # joins older than this are not shown
NOT_LEAVES = {"join", "migrated"}


@dataclass(frozen=True)
class Retention:
    """One campaign's joins, and for each of RETENTION_DAYS: (stayed, joins old enough)."""

    campaign: str
    joins: int
    stayed: tuple[tuple[int, int], ...]


def retention_by_campaign(
    events: Iterable[tuple[datetime, int, str, str | None]], now: datetime
) -> list[Retention]:
    """(at, chat id, event, campaign) rows, oldest first, as one Retention per campaign."""
    joins: list[tuple[datetime, int, str]] = []
    leaves: dict[int, list[datetime]] = {}
    for at, chat_id, event, campaign in events:
        if event == "join":
            joins.append((at, chat_id, campaign or ""))
        elif event not in NOT_LEAVES:
            leaves.setdefault(chat_id, []).append(at)
    figures: dict[str, list[int]] = {}
    for at, chat_id, campaign in joins:
        row = figures.setdefault(campaign, [0] * (1 + 2 * len(RETENTION_DAYS)))
        row[0] += 1
        for index, days in enumerate(RETENTION_DAYS):
            if now - at < timedelta(days=days):
                continue
            row[2 + 2 * index] += 1
            end = at + timedelta(days=days)
            if not any(at <= left < end for left in leaves.get(chat_id, [])):
                row[1 + 2 * index] += 1
    return [
        Retention(
            campaign=campaign,
            joins=row[0],
            stayed=tuple((row[1 + 2 * i], row[2 + 2 * i]) for i in range(len(RETENTION_DAYS))),
        )
        for campaign, row in sorted(figures.items(), key=lambda item: (-item[1][0], item[0]))
    ]


async def collect_retention(*, session: AsyncSession, now: datetime) -> list[Retention]:
    """Retention by campaign of the joins of the last 90 days."""
    rows = await session.execute(
        select(ChatEvent.at, ChatEvent.telegram_chat_id, ChatEvent.event, ChatEvent.campaign)
        .where(ChatEvent.at >= now - WINDOW)
        .order_by(ChatEvent.at, ChatEvent.id)
    )
    return retention_by_campaign(rows.all(), now)
