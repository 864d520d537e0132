"""Push ingestion: a feed file or JSON Lines of articles from a CMS, stored in chunks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.db import session_scope
from digests.ingest.entries import EntryData
from digests.ingest.parse import parse_document
from digests.ingest.report import IngestReport
from digests.ingest.store import Pipeline
from digests.models import Source, SourceKind

CHUNK = 500
PUSH_PREFIX = "push:"


async def push_source(*, session: AsyncSession, name: str) -> Source:
    """The push source with this name, created on first use."""
    url = PUSH_PREFIX + name
    source = await session.scalar(select(Source).where(Source.url == url))
    if source is None:
        source = Source(url=url, kind=SourceKind.PUSH, title=name[:255], origin="push")
        session.add(source)
        await session.flush()
    return source


async def ingest_document(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    data: bytes,
    origin: str | None,
    pipeline: Pipeline,
    now: datetime,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IngestReport:
    """Parse a document and store its entries, one transaction per chunk of entries."""
    base_url = origin if origin and origin.startswith(("http://", "https://")) else None
    parsed = parse_document(data, base_url=base_url, now=now)
    report = IngestReport(problems=list(parsed.problems))
    if on_total is not None:
        on_total(len(parsed.entries))
    async with session_scope(sessionmaker) as session:
        await pipeline.prepare(session=session, now=now)
        feed_source = (
            await session.scalar(select(Source).where(Source.url == origin)) if origin else None
        )
        feed_source_id = feed_source.id if feed_source is not None else None
    groups: dict[str | None, list[EntryData]] = {}
    for entry in parsed.entries:
        groups.setdefault(entry.source, []).append(entry)
    for name, entries in groups.items():
        for start in range(0, len(entries), CHUNK):
            chunk = entries[start : start + CHUNK]
            async with session_scope(sessionmaker) as session:
                source: Source | None
                if name is not None:
                    source = await push_source(session=session, name=name)
                elif feed_source_id is not None:
                    source = await session.get(Source, feed_source_id)
                elif parsed.title:
                    # A feed file pushed by hand: its articles are credited to the feed's title.
                    source = await push_source(session=session, name=parsed.title)
                else:
                    source = None
                # Each chunk is stamped as it is stored (see digests.editions.plan.SETTLE).
                stored_at = max(now, datetime.now(UTC))
                report.merge(
                    await pipeline.store(
                        session=session, entries=chunk, source=source, now=stored_at
                    )
                )
            if progress is not None:
                progress(len(chunk))
    return report
