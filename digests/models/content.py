"""Sources, articles, their topics, stories and related coverage."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from digests.models.base import Base, BigIntPK, str_enum, utcnow


class SourceKind(StrEnum):
    """Where a source's articles come from."""

    FEED = "feed"
    FILE = "file"
    PUSH = "push"


class SourceStatus(StrEnum):
    """Whether a source is polled."""

    ACTIVE = "active"
    PAUSED = "paused"


class Source(Base):
    """A feed (URL or local file) or a push channel, with its fetch state and health."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    kind: Mapped[SourceKind] = mapped_column(str_enum(SourceKind), default=SourceKind.FEED)
    title: Mapped[str | None] = mapped_column(String(255))
    default_topics: Mapped[list[str]] = mapped_column(default=list)
    priority: Mapped[int] = mapped_column(default=0)
    status: Mapped[SourceStatus] = mapped_column(
        str_enum(SourceStatus), default=SourceStatus.ACTIVE
    )
    paused_reason: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(String(255))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    next_fetch_at: Mapped[datetime | None] = mapped_column(index=True)
    last_fetch_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    error_count: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Where it came from: "catalog" (the TOML file), "desk", "cli" or "push" (None: before 0004).
    origin: Mapped[str | None] = mapped_column(String(16))


class RemovedSource(Base):
    """A feed removed by the desk or the CLI: the catalogue file never brings it back."""

    __tablename__ = "removed_sources"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    removed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Story(Base):
    """A cluster of articles about the same event, from one or several sources."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    size: Mapped[int] = mapped_column(default=1)
    first_published_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Article(Base):
    """One article, stored once under its canonical URL."""

    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_source_guid", "source_id", "guid"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    guid: Mapped[str | None] = mapped_column(String(1024))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(String(255))
    image_url: Mapped[str | None] = mapped_column(String(2048))
    language: Mapped[str | None] = mapped_column(String(16))
    categories: Mapped[list[str]] = mapped_column(default=list)
    # Topics a pushed article named itself (JSON Lines "topics"): retagging keeps them.
    pushed_topics: Mapped[list[str]] = mapped_column(default=list)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    published_at: Mapped[datetime] = mapped_column(index=True)
    # Digest windows are on arrival time: an article published earlier but fetched late
    # still reaches the next digest instead of falling before a window already sent.
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="SET NULL"), index=True
    )


class ArticleTopic(Base):
    """An article's membership of a topic, with how strongly it matched."""

    __tablename__ = "article_topics"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    score: Mapped[float] = mapped_column(default=1.0)


class RelatedArticle(Base):
    """A precomputed link from an article to related coverage outside its story."""

    __tablename__ = "related_articles"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    related_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    score: Mapped[float]
