"""Housekeeping: expired conversation state and leases, and old rows by RETENTION_DAYS.

`RETENTION_DAYS` (Settings.retention_days) sets, per kind, how long finished rows are kept:
`deliveries` (sent, failed or cancelled outbox rows), `editions` (digests built), `audit`
(the desk's audit log) and `joins` (join, leave and block records behind the campaign
figures); 0 keeps a kind forever. Expired conversation state and leases long expired go at
every run. Each call deletes one batch, so no transaction holds a large table for long:
the maintenance job calls `purge_batch` until it returns less than the batch.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.db import rows_changed
from digests.leases import expire_leases
from digests.models import AuditEntry, ChatEvent, Delivery, DeliveryStatus, Edition
from digests.readers import conversation

BATCH = 5000
# A lease expired this long ago belongs to a process long gone (recovery needs none of it).
LEASE_GRACE = timedelta(hours=1)
FINISHED = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.CANCELLED)


def _old(kind: str, before: datetime) -> tuple[Any, ColumnElement[bool]]:
    """The id column and the condition of `kind`'s rows older than `before`."""
    match kind:
        case "deliveries":
            return Delivery.id, (Delivery.status.in_(FINISHED)) & (Delivery.created_at < before)
        case "editions":
            return Edition.id, Edition.built_at < before
        case "audit":
            return AuditEntry.id, AuditEntry.at < before
        case "joins":
            return ChatEvent.id, ChatEvent.at < before
    raise ValueError(f"unknown retention kind {kind!r}")


async def purge_batch(
    *, session: AsyncSession, kind: str, days: int, now: datetime, batch: int = BATCH
) -> int:
    """Delete up to `batch` rows of `kind` older than `days`; how many went (0 days: none)."""
    if days <= 0:
        return 0
    column, condition = _old(kind, now - timedelta(days=days))
    ids = select(column).where(condition).limit(batch).scalar_subquery()
    return await rows_changed(session, delete(column.class_).where(column.in_(ids)))


async def expire_transient(*, session: AsyncSession, now: datetime) -> dict[str, int]:
    """Expired conversation state and long-expired leases: how many of each went."""
    return {
        "conversation": await conversation.expire(session=session, now=now),
        "leases": await expire_leases(session=session, before=now - LEASE_GRACE),
    }
