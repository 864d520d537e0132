"""Chats, topics, subscriptions and the events that stats count."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from digests.models.base import Base, BigIntPK, str_enum, utcnow


class ChatType(StrEnum):
    """Telegram's chat types."""

    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"
    CHANNEL = "channel"


class ChatStatus(StrEnum):
    """Whether newsbot can still deliver to a chat, and if not, why."""

    ACTIVE = "active"
    BLOCKED = "blocked"
    LEFT = "left"
    MIGRATED = "migrated"
    GONE = "gone"


class Frequency(StrEnum):
    """How often a chat gets its digest."""

    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class Chat(Base):
    """A private chat, group, supergroup or channel newsbot talks to."""

    __tablename__ = "chats"
    __table_args__ = (Index("ix_chats_due", "status", "next_digest_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    type: Mapped[ChatType] = mapped_column(str_enum(ChatType))
    title: Mapped[str | None] = mapped_column(String(255))
    username: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    digest_times: Mapped[list[str]] = mapped_column(default=lambda: ["08:00"])
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency), default=Frequency.DAILY)
    weekly_day: Mapped[int | None]
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    alerts_enabled: Mapped[bool] = mapped_column(default=True)
    link_previews: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ChatStatus] = mapped_column(str_enum(ChatStatus), default=ChatStatus.ACTIVE)
    joined_via: Mapped[str | None] = mapped_column(String(64))
    connected_by: Mapped[int | None] = mapped_column(BigInteger)
    # Set by the first /start: from then on /start shows the topics instead of choosing them.
    started_at: Mapped[datetime | None]
    next_digest_at: Mapped[datetime | None]
    last_digest_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    subscriptions: Mapped[list[Subscription]] = relationship(
        back_populates="chat", cascade="all, delete-orphan", passive_deletes=True
    )


class Topic(Base):
    """A subject readers subscribe to, with the rules that tag articles with it."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[str]] = mapped_column(default=list)
    categories: Mapped[list[str]] = mapped_column(default=list)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # A first /start subscribes the chat to the default topics.
    is_default: Mapped[bool] = mapped_column(default=False)
    # A "top stories" topic tags nothing: it takes this many of the best items of every topic.
    top_items: Mapped[int | None]


class Subscription(Base):
    """A chat's subscription to a topic, with its choice of digest and breaking alerts."""

    __tablename__ = "subscriptions"

    chat_id: Mapped[int] = mapped_column(
        ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    digest: Mapped[bool] = mapped_column(default=True)
    alerts: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    chat: Mapped[Chat] = relationship(back_populates="subscriptions")
    topic: Mapped[Topic] = relationship()


class ChatFilter(Base):
    """A chat's keyword filter: `exclude` leaves matching items out, `include` keeps only them."""

    __tablename__ = "chat_filters"

    chat_id: Mapped[int] = mapped_column(
        ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    phrase: Mapped[str] = mapped_column(String(100), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChatEvent(Base):
    """A join, leave or block, kept after the chat's data is deleted, for stats by campaign."""

    __tablename__ = "chat_events"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    telegram_chat_id: Mapped[int] = mapped_column(BigInteger)
    chat_type: Mapped[str] = mapped_column(String(16))
    event: Mapped[str] = mapped_column(String(16))
    campaign: Mapped[str | None] = mapped_column(String(64))
