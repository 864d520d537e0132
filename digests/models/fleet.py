"""What several newsbot processes on one database share: leases and the bot's send budget."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from digests.models.base import Base, utcnow


class Lease(Base):
    """A named lease: a live sender instance (`instance:<id>`) or a job run (`job:<name>`).

    The owner renews it before `expires_at`; once that has passed, the owner is provably gone
    (or stalled and no longer allowed to act) and another process may take what it held.
    """

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(index=True)
    renewed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SendBudget(Base):
    """The bot's overall Telegram rate, shared by every sender on a PostgreSQL database.

    Times are seconds since the epoch on the database's clock: `next_slot` is the first slot
    of the rate grid nobody holds yet, `paused_until` the end of the last 429's pause.
    """

    __tablename__ = "send_budget"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_slot: Mapped[float] = mapped_column(Float, default=0.0)
    paused_until: Mapped[float] = mapped_column(Float, default=0.0)
