"""What became of an alert: its outbox rows by kind and status, as the desk's status shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from digests.desk.progress import Tally, tally_rows
from digests.models import Alert, AlertStatus, Delivery, DeliveryKind, DeliveryStatus, Topic
from digests.models.desk import alert_ref

# Telegram lets a bot delete its own messages for 48 hours only.
DELETE_WINDOW = timedelta(hours=48)


@dataclass(frozen=True)
class AlertState:
    """An alert and its outbox rows: sending, edits and deletions."""

    alert: Alert
    sends: Tally
    edits: Tally
    deletes: Tally
    too_old: int
    topic_name: str = ""

    @property
    def busy(self) -> bool:
        """Whether the sender still has rows of this alert to finish."""
        return bool(self.sends.open or self.edits.open or self.deletes.open)


async def _tally(session: AsyncSession, ref: str, kind: DeliveryKind) -> Tally:
    rows = await session.execute(
        select(Delivery.status, Delivery.error_code, func.count())
        .where(Delivery.kind == kind, Delivery.ref == ref)
        .group_by(Delivery.status, Delivery.error_code)
    )
    return tally_rows((str(status), code, count) for status, code, count in rows.all())


def sent_copies(ref: str, *columns: Any) -> Select[Any]:
    """The alert's copies that reached a chat (they have a message id to edit or delete)."""
    return select(*(columns or (Delivery,))).where(
        Delivery.kind == DeliveryKind.ALERT,
        Delivery.ref == ref,
        Delivery.status == DeliveryStatus.SENT,
        Delivery.message_id.is_not(None),
    )


def without_row(
    kind: DeliveryKind, ref: str, part: int | None = None, *, same_part: bool = False
) -> ColumnElement[bool]:
    """True for a Delivery whose chat has no `kind` row for this ref (and part, or the
    Delivery's own part when `same_part`: a photo alert's photo and text are two copies) yet."""
    other = aliased(Delivery)
    condition = (other.kind == kind) & (other.ref == ref) & (other.chat_id == Delivery.chat_id)
    if part is not None:
        condition = condition & (other.part == part)
    if same_part:
        condition = condition & (other.part == Delivery.part)
    return ~select(other.id).where(condition).exists()


async def alert_state(*, session: AsyncSession, alert: Alert, now: datetime) -> AlertState:
    """Counts for the live status message, and the name of the alert's topic."""
    ref = alert_ref(alert.id)
    too_old = 0
    if alert.status is AlertStatus.RETRACTED:
        too_old = await session.scalar(
            sent_copies(ref, func.count())
            .where(Delivery.sent_at < now - DELETE_WINDOW)
            .where(without_row(DeliveryKind.ALERT_DELETE, ref, same_part=True))
        )
    topic = await session.get(Topic, alert.topic_id) if alert.topic_id is not None else None
    return AlertState(
        alert=alert,
        sends=await _tally(session, ref, DeliveryKind.ALERT),
        edits=await _tally(session, ref, DeliveryKind.ALERT_EDIT),
        deletes=await _tally(session, ref, DeliveryKind.ALERT_DELETE),
        too_old=too_old or 0,
        topic_name=topic.name if topic is not None else "",
    )
