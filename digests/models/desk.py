"""The editorial desk: editors, breaking alerts and the audit log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from digests.models.base import Base, BigIntPK, str_enum, utcnow


class Editor(Base):
    """A user an owner allowed to work the desk (owners come from ADMIN_IDS)."""

    __tablename__ = "editors"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    added_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlertStatus(StrEnum):
    """Where a breaking alert is in its life."""

    DRAFT = "draft"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"
    RETRACTED = "retracted"


ALERT_REF = "alert:"


def alert_ref(alert_id: int) -> str:
    """The outbox ref of every message about an alert (its copies, edits and deletions)."""
    return f"{ALERT_REF}{alert_id}"


def alert_of_ref(ref: str) -> int | None:
    """The alert an outbox ref is about, or None for a ref that is not an alert's."""
    number = ref.removeprefix(ALERT_REF)
    return int(number) if number != ref and number.isdigit() else None


class Alert(Base):
    """A breaking alert an editor composed, and how its sending went."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(2048))
    # The Telegram file id of the alert's photo, if it has one (sent again by id).
    photo_file_id: Mapped[str | None] = mapped_column(String(256))
    # Related coverage of the archived article it links to ({"title", "url"} each), fixed
    # when drafted so every copy, and every edit, shows the same list.
    related: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    audience: Mapped[str] = mapped_column(String(16), default="all")
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    status: Mapped[AlertStatus] = mapped_column(str_enum(AlertStatus), default=AlertStatus.DRAFT)
    total: Mapped[int] = mapped_column(default=0)
    preview_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    preview_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Who did (or tried to do) what on the desk, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(128))
    allowed: Mapped[bool] = mapped_column(default=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
