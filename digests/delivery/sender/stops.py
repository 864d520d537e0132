"""Cancel means cancel: claimed rows of an alert the desk stopped are dropped, not sent.

The desk cancels (or retracts) an alert by marking it and cancelling its pending rows; rows the
sender has already claimed are in its memory, and only it may settle them. Before dispatching,
the sender asks the database which of the alerts it holds rows of were stopped (after each
claim, and every `interval` seconds of its clock while it holds alert rows), and each row it
takes for sending is checked against that answer: a stopped alert's row is recorded cancelled
instead. So at most `interval` of sending follows a Cancel (what was on the wire then still
arrives), and every row ends sent or cancelled, which is what the desk's card counts.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Collection, Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.db import session_scope
from digests.delivery.failures import FailureCode
from digests.delivery.sender.claims import Claimed
from digests.delivery.sender.lanes import ChatLane
from digests.models import Alert, AlertStatus, DeliveryKind
from digests.models.desk import alert_of_ref

logger = logging.getLogger(__name__)

# What stops each kind of alert row: a cancelled alert sends no more copies (its edits and
# deletions of copies already sent still go); a retracted one sends no copy and no edit.
STOPPED_BY = {
    DeliveryKind.ALERT: {AlertStatus.CANCELLED, AlertStatus.RETRACTED},
    DeliveryKind.ALERT_EDIT: {AlertStatus.RETRACTED},
}
DESK_CANCELLED = "cancelled by the desk"


async def stopped_alerts(
    *, session: AsyncSession, alert_ids: Collection[int]
) -> dict[int, AlertStatus]:
    """Which of these alerts the desk cancelled or retracted, with that status."""
    rows = await session.execute(
        select(Alert.id, Alert.status).where(
            Alert.id.in_(alert_ids),
            Alert.status.in_([AlertStatus.CANCELLED, AlertStatus.RETRACTED]),
        )
    )
    return {alert_id: status for alert_id, status in rows}


def _alert_of(row: Claimed) -> int | None:
    return alert_of_ref(row.ref) if row.kind in STOPPED_BY else None


class StopList:
    """The stopped alerts as the sender last looked, for a check at every dispatch.

    It looks again after every claim (a batch may bring rows of an alert stopped meanwhile) and,
    while it holds alert rows, every `interval` seconds; with no alert rows held, a look costs
    one pass over the rows in memory and no query.
    """

    def __init__(self, interval: float, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.interval = interval
        self.sessionmaker = sessionmaker
        self.checked_at = -math.inf
        self.claims_seen = 0
        self.holding = False
        # Only ever grows: a cancelled or retracted alert is never sent again.
        self.stopped: dict[int, AlertStatus] = {}

    async def refresh_if_due(self, now: float, claimed: int, lanes: Mapping[int, ChatLane]) -> None:
        """Look the held alerts up when rows were claimed since the last look, or when alert
        rows are held and `interval` has passed (`claimed` counts the sender's claimed rows)."""
        stale = self.holding and now - self.checked_at >= self.interval
        if claimed == self.claims_seen and not stale:
            return
        self.checked_at, self.claims_seen = now, claimed
        held = {a for lane in lanes.values() for *_, row in lane.rows if (a := _alert_of(row))}
        self.holding = bool(held)
        if not held:
            return
        try:
            async with session_scope(self.sessionmaker) as session:
                self.stopped.update(await stopped_alerts(session=session, alert_ids=held))
        except Exception:  # the database is away: keep the last answer, look again later
            logger.exception("sender: looking up cancelled alerts failed; retrying")

    def blocks(self, row: Claimed) -> bool:
        """Whether the desk stopped the alert this row belongs to."""
        alert = _alert_of(row)
        return alert is not None and self.stopped.get(alert) in STOPPED_BY[row.kind]

    def dropped(
        self, row: Claimed, record_cancelled: Callable[[Claimed, str, FailureCode], None]
    ) -> bool:
        """Record the row cancelled if the desk stopped its alert; whether it did."""
        if not self.blocks(row):
            return False
        record_cancelled(row, DESK_CANCELLED, FailureCode.DESK_CANCELLED)
        return True
