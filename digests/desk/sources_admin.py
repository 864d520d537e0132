"""Source administration for both faces: health, add, pause, resume and remove.

The desk's /sources and the command line's `newsbot sources` both call these, so they refuse
the same input and resume the same way. A change made from the desk names its actor and is
audited; the command line is the operator's own shell and is not. When a source is fetched
next, its backoff and its pausing after failures belong to `digests.ingest.sources`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.desk.roles import audit
from digests.errors import SourceError, UnknownTopics
from digests.ids import parse_id
from digests.models import Article, RemovedSource, Source, SourceKind, SourceStatus
from digests.readers.subscriptions import active_topics
from digests.text.telegram_html import safe_url

MAX_URL = 2048  # the column's size
MAX_TITLE = 255
HEALTH_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class SourceHealth:
    """A source with what an administrator wants to know about its polling."""

    source: Source
    articles_24h: int


async def sources_health(*, session: AsyncSession, now: datetime) -> list[SourceHealth]:
    """Every source in order of number, with its articles fetched in the last 24 hours."""
    counts = dict(
        (
            await session.execute(
                select(Article.source_id, func.count())
                .where(Article.fetched_at >= now - HEALTH_WINDOW)
                .group_by(Article.source_id)
            )
        ).all()
    )
    sources = await session.scalars(select(Source).order_by(Source.id))
    return [SourceHealth(source, counts.get(source.id, 0)) for source in sources]


async def find_source(*, session: AsyncSession, key: int | str) -> Source:
    """A source by number (7, "7", "#7") or by URL; SourceError when there is none."""
    number = key if isinstance(key, int) else parse_id(key.removeprefix("#"))
    if number is not None:
        source, label = await session.get(Source, number), f"#{number}"
    else:
        source = await session.scalar(select(Source).where(Source.url == key))
        label = str(key)[:200]
    if source is None:
        raise SourceError("no_source", label)
    return source


def _address(url: str, *, local_files: bool) -> tuple[str, SourceKind]:
    """The address as stored and its kind: a web feed, or (when allowed) a local file."""
    web = safe_url(url, web_only=True)
    if web and len(web) <= MAX_URL:
        return web, SourceKind.FEED
    path = url.strip()
    try:
        scheme = urlsplit(path).scheme
    except ValueError:
        scheme = "?"
    if local_files and path and scheme in ("", "file") and len(path) <= MAX_URL:
        return path, SourceKind.FILE
    raise SourceError("bad_feed_url", url[:200])


async def _topic_slugs(session: AsyncSession, topics: Sequence[str]) -> list[str]:
    """The topic slugs as given ("#World" is world), each once; UnknownTopics if any is not."""
    slugs = list(dict.fromkeys(s.strip().lower().lstrip("#") for s in topics if s.strip()))
    if not slugs:
        return []
    known = [topic.slug for topic in await active_topics(session=session)]
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise UnknownTopics(unknown, known)
    return slugs


async def _audit(
    session: AsyncSession,
    actor_id: int | None,
    action: str,
    source: Source,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    if actor_id is not None:
        await audit(
            session=session,
            actor_id=actor_id,
            action=action,
            now=now,
            target=f"source:{source.id}",
            detail=detail,
        )


async def add_source(
    *,
    session: AsyncSession,
    url: str,
    now: datetime,
    topics: Sequence[str] = (),
    title: str | None = None,
    priority: int = 0,
    local_files: bool = False,
    actor_id: int | None = None,
) -> Source:
    """A new source fetched from now on: a web feed (or a file, if allowed) with known topics."""
    address, kind = _address(url, local_files=local_files)
    slugs = await _topic_slugs(session, topics)
    existing = await session.scalar(select(Source).where(Source.url == address))
    if existing is not None:
        raise SourceError("duplicate_source", f"#{existing.id}")
    # Adding by hand what was removed by hand: the removal no longer stands.
    await session.execute(delete(RemovedSource).where(RemovedSource.url == address))
    source = Source(
        url=address,
        kind=kind,
        origin="desk" if actor_id is not None else "cli",
        title=title[:MAX_TITLE] if title else None,
        default_topics=slugs,
        priority=priority,
        next_fetch_at=now,
        created_at=now,
    )
    session.add(source)
    await session.flush()
    await _audit(session, actor_id, "source_add", source, now, {"url": source.url})
    return source


async def pause_source(
    *,
    session: AsyncSession,
    key: int | str,
    reason: str,
    now: datetime,
    actor_id: int | None = None,
) -> Source:
    """Stop fetching a source until it is resumed; the reason is shown in the listings."""
    source = await find_source(session=session, key=key)
    source.status = SourceStatus.PAUSED
    source.paused_reason = reason[:1000]
    await session.flush()
    await _audit(session, actor_id, "source_pause", source, now)
    return source


async def resume_source(
    *, session: AsyncSession, key: int | str, now: datetime, actor_id: int | None = None
) -> Source:
    """Fetch a paused source again at the next polling run, its failures forgotten.

    Forgetting them matters: a source paused after N failures would be paused again by
    its very next failure otherwise.
    """
    source = await find_source(session=session, key=key)
    source.status = SourceStatus.ACTIVE
    source.paused_reason = None
    source.error_count = 0
    source.next_fetch_at = now
    await session.flush()
    await _audit(session, actor_id, "source_resume", source, now)
    return source


async def remove_source(
    *, session: AsyncSession, key: int | str, now: datetime, actor_id: int | None = None
) -> Source:
    """Delete a source, remembered so the catalogue file does not bring it back; its
    articles stay in the archive, without a source."""
    source = await find_source(session=session, key=key)
    await _audit(session, actor_id, "source_remove", source, now, {"url": source.url})
    if source.kind != SourceKind.PUSH:
        await session.merge(RemovedSource(url=source.url, removed_at=now))
    await session.delete(source)
    await session.flush()
    return source
