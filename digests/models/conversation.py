"""Conversation state: what a chat was last shown or asked, shared by every instance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from digests.models.base import Base, utcnow


class ConversationState(Base):
    """One remembered thing, keyed by Telegram chat and user ids, a kind and a key.

    Keys are Telegram's ids rather than newsbot's chat rows: the flood guard and the admin cache
    hold state for users and chats that have no row, and a row outlives nothing it describes
    (every read checks `expires_at`; the maintenance job deletes what has expired).
    """

    __tablename__ = "conversation_state"
    __table_args__ = (Index("ix_conversation_state_expires_at", "expires_at"),)

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, default=0)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    payload: Mapped[dict[str, Any]]
    expires_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
