"""Editions (digests built) and deliveries (the outbox)."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from digests.models.base import Base, BigIntPK, str_enum, utcnow


class Edition(Base):
    """One digest for one chat for one scheduled moment."""

    __tablename__ = "editions"
    __table_args__ = (UniqueConstraint("chat_id", "scheduled_for"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    scheduled_for: Mapped[datetime]
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    article_ids: Mapped[list[int]] = mapped_column(default=list)
    parts: Mapped[int] = mapped_column(default=0)
    render_key: Mapped[str | None] = mapped_column(String(64))
    built_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeliveryKind(StrEnum):
    """What a queued message is."""

    DIGEST = "digest"
    ALERT = "alert"
    REPLY = "reply"
    NOTICE = "notice"
    ALERT_EDIT = "alert_edit"
    ALERT_DELETE = "alert_delete"


class DeliveryStatus(StrEnum):
    """Where a queued message is in its life."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Priority(IntEnum):
    """Lower goes first: alerts, then replies, then digests."""

    ALERT = 0
    REPLY = 10
    NOTICE = 20
    DIGEST = 30


class Delivery(Base):
    """One message to send (or edit, or delete) in one chat: a row of the outbox."""

    __tablename__ = "deliveries"
    __table_args__ = (
        # A digest split across a forum's threads is queued once per part and thread.
        UniqueConstraint("kind", "ref", "chat_id", "thread_id", "part"),
        Index("ix_deliveries_due", "status", "priority", "next_attempt_at"),
        # /stats: failures of the last days by day and by code, from the index alone.
        Index("ix_deliveries_failures", "status", "created_at", "error_code"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DeliveryKind] = mapped_column(str_enum(DeliveryKind))
    ref: Mapped[str] = mapped_column(String(64))
    part: Mapped[int] = mapped_column(default=0)
    # The forum thread (message_thread_id) it goes to; 0 is the chat itself or its General.
    thread_id: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    method: Mapped[str] = mapped_column(String(32), default="sendMessage")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    priority: Mapped[int] = mapped_column(default=Priority.DIGEST)
    status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)  # Telegram's own words
    # digests.delivery.failures.FailureCode; plain text so a code added later reads as "other"
    # in a release that does not know it. NULL (rows from before codes) reads as "other" too.
    error_code: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    # Which sender instance holds a row in `sending`; start-up recovery only touches its own.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
