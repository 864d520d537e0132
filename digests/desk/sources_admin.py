"""Sources from the chat: their health, and adding, pausing, resuming and removing them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.models import Article, Source, SourceStatus, Topic
from digests.text.telegram_html import safe_url

MAX_URL = 2048


class SourceError(ValueError):
    """A source change that cannot be made; `code` names the template saying why."""

    def __init__(self, code: str, value: str = ""):
        super().__init__(f"{code}: {value!r}")
        self.code = code
        self.value = value


@dataclass(frozen=True)
class SourceHealth:
    """A source with what the desk wants to know about its polling."""

    source: Source
    articles_24h: int


async def sources_health(*, session: AsyncSession, now: datetime) -> list[SourceHealth]:
    """Every source, with its articles fetched in the last 24 hours."""
    counts = dict(
        (
            await session.execute(
                select(Article.source_id, func.count())
                .where(Article.fetched_at >= now - timedelta(hours=24))
                .group_by(Article.source_id)
            )
        ).all()
    )
    sources = await session.scalars(select(Source).order_by(Source.id))
    return [SourceHealth(source, counts.get(source.id, 0)) for source in sources]


async def add_source(
    *, session: AsyncSession, url: str, topics: Sequence[str], now: datetime
) -> Source:
    """A new feed polled from now on; the URL must be http(s) and the topics must exist."""
    clean = safe_url(url, web_only=True)
    if not clean or len(clean) > MAX_URL:
        raise SourceError("bad_url", url[:200])
    slugs = [slug.strip().lower().lstrip("#") for slug in topics if slug.strip()]
    known = set(await session.scalars(select(Topic.slug).where(Topic.slug.in_(slugs))))
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise SourceError("unknown_topics", ", ".join(unknown))
    existing = await session.scalar(select(Source).where(Source.url == clean))
    if existing is not None:
        raise SourceError("duplicate", f"#{existing.id}")
    source = Source(url=clean, default_topics=slugs, next_fetch_at=now, created_at=now)
    session.add(source)
    await session.flush()
    return source


async def set_paused(
    *,
    session: AsyncSession,
    source_id: int,
    paused: bool,
    now: datetime,
    reason: str | None = None,
) -> Source:
    """Pause a source (no polling) or resume it (polled at once)."""
    source = await session.get(Source, source_id)
    if source is None:
        raise SourceError("not_found", str(source_id))
    source.status = SourceStatus.PAUSED if paused else SourceStatus.ACTIVE
    source.paused_reason = reason if paused else None
    if not paused:
        source.next_fetch_at = now  # due at the next polling run
    await session.flush()
    return source


async def remove_source(*, session: AsyncSession, source_id: int) -> Source:
    """Delete a source; its articles stay in the archive, without a source."""
    source = await session.get(Source, source_id)
    if source is None:
        raise SourceError("not_found", str(source_id))
    await session.delete(source)
    await session.flush()
    return source


async def get_source(*, session: AsyncSession, source_id: int) -> Source:
    """The source with this number."""
    source = await session.get(Source, source_id)
    if source is None:
        raise SourceError("not_found", str(source_id))
    return source
