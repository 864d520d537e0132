"""Polling: fetch every due source concurrently (bounded), ingest what changed, record health."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiohttp
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.db import create_engine, create_sessionmaker, session_scope
from digests.ingest.entries import ParsedFeed
from digests.ingest.fetch import FetchError, FetchLimits, FetchResult, fetch_feed
from digests.ingest.offload import parse_off_loop
from digests.ingest.report import IngestReport
from digests.ingest.sources import (
    Schedule,
    due_sources,
    notify_paused,
    record_failure,
    record_success,
)
from digests.ingest.store import Pipeline
from digests.metrics import INGEST_FETCHES
from digests.models import Source
from digests.text.render import Renderer

logger = logging.getLogger(__name__)

# A fetched feed's entries are stored this many to a transaction, so other writers (on SQLite,
# the bot registering a chat) are never kept waiting for a whole feed.
STORE_CHUNK = 10
CHUNK_PAUSE = 0.02


@dataclass
class PollSettings:
    """What a poll run needs besides the database."""

    limits: FetchLimits
    schedule: Schedule
    concurrency: int = 8
    batch: int = 100
    admin_ids: list[int] = field(default_factory=list)


@dataclass
class PollOutcome:
    """What one poll run did."""

    fetched: int = 0
    not_modified: int = 0
    failed: int = 0
    paused: int = 0
    report: IngestReport = field(default_factory=IngestReport)


async def _fetch(
    client: aiohttp.ClientSession, source: Source, limits: FetchLimits
) -> FetchResult | FetchError:
    try:
        return await fetch_feed(
            client, source.url, limits=limits, etag=source.etag, last_modified=source.last_modified
        )
    except FetchError as exc:
        return exc
    except Exception as exc:
        # Whatever a hostile server does, it fails its own source, never the whole run.
        logger.exception("source %s: unexpected fetch error", source.url)
        return FetchError(f"unexpected error: {type(exc).__name__}")


async def _parse(
    source: Source, fetched: FetchResult | FetchError, now: datetime
) -> ParsedFeed | None:
    """The fetched document parsed in the worker process; None when there is none."""
    if isinstance(fetched, FetchError) or fetched.not_modified:
        return None
    parsed = await parse_off_loop(
        fetched.body, base_url=fetched.url, now=now, content_type=fetched.content_type
    )
    for problem in parsed.problems:
        logger.info("source %s: %s", source.url, problem)
    return parsed


async def _store(
    sessionmaker: async_sessionmaker[AsyncSession],
    pipeline: Pipeline,
    source: Source,
    parsed: ParsedFeed,
    *,
    now: datetime,
    started: float,
) -> IngestReport:
    """Store the entries in a worker thread with its own event loop and connections, so the
    summaries, stemming and linking of thousands of entries never hold up the bot's loop (the
    interpreter switches threads every few milliseconds)."""
    url = sessionmaker.kw["bind"].url
    chunks = _store_chunks(url, pipeline, source, parsed, now=now, started=started)
    return await asyncio.to_thread(asyncio.run, chunks)


async def _store_chunks(
    url: URL,
    pipeline: Pipeline,
    source: Source,
    parsed: ParsedFeed,
    *,
    now: datetime,
    started: float,
) -> IngestReport:
    """STORE_CHUNK entries to a transaction, each chunk stamped when it is stored (see
    digests.editions.plan.SETTLE), with a pause between them in which another writer can take
    SQLite's lock."""
    report = IngestReport()
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    try:
        for start in range(0, len(parsed.entries), STORE_CHUNK):
            stored_at = now + timedelta(seconds=time.monotonic() - started)
            async with session_scope(sessionmaker) as session:
                stored = await pipeline.store(
                    session=session,
                    entries=parsed.entries[start : start + STORE_CHUNK],
                    source=await session.merge(source),
                    now=stored_at,
                )
            report.merge(stored)
            await asyncio.sleep(CHUNK_PAUSE)
    finally:
        await engine.dispose()
    return report


async def _settle(
    session: AsyncSession,
    source: Source,
    fetched: FetchResult | FetchError,
    *,
    parsed: ParsedFeed | None,
    stored: IngestReport | None,
    settings: PollSettings,
    renderer: Renderer,
    now: datetime,
    outcome: PollOutcome,
) -> None:
    source = await session.merge(source)
    if isinstance(fetched, FetchError):
        outcome.failed += 1
        INGEST_FETCHES.labels(source=str(source.id), result="failed").inc()
        logger.warning("source %s: fetch failed: %s", source.url, fetched)
        paused = record_failure(
            source,
            now=now,
            reason=str(fetched),
            schedule=settings.schedule,
            retry_after=fetched.retry_after,
        )
        if paused:
            outcome.paused += 1
            await notify_paused(
                session=session,
                source=source,
                admin_ids=settings.admin_ids,
                renderer=renderer,
                now=now,
            )
        return
    ttl = None
    if fetched.not_modified:
        outcome.not_modified += 1
        INGEST_FETCHES.labels(source=str(source.id), result="not_modified").inc()
    elif parsed is not None and parsed.fatal:
        failure = FetchError(parsed.problems[-1])
        await _settle(
            session,
            source,
            failure,
            parsed=None,
            stored=None,
            settings=settings,
            renderer=renderer,
            now=now,
            outcome=outcome,
        )
        return
    elif parsed is not None and stored is not None:
        outcome.fetched += 1
        if parsed.title and not source.title:
            source.title = parsed.title[:255]
        ttl = parsed.ttl_seconds
        stored.problems.extend(parsed.problems)
        outcome.report.merge(stored)
        INGEST_FETCHES.labels(source=str(source.id), result="fetched").inc()
    record_success(
        source,
        now=now,
        schedule=settings.schedule,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        ttl_seconds=ttl,
        max_age=fetched.max_age,
    )


async def poll_due_sources(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    client: aiohttp.ClientSession,
    pipeline: Pipeline,
    settings: PollSettings,
    renderer: Renderer,
    now: datetime,
) -> PollOutcome:
    """One run: fetch due sources concurrently, then store each in its own transaction."""
    outcome = PollOutcome()
    started = time.monotonic()
    async with session_scope(sessionmaker) as session:
        sources = await due_sources(session=session, now=now, limit=settings.batch)
        await pipeline.prepare(session=session, now=now)
    if not sources:
        return outcome
    gate = asyncio.Semaphore(settings.concurrency)

    async def bounded(source: Source) -> FetchResult | FetchError:
        async with gate:
            return await _fetch(client, source, settings.limits)

    results = await asyncio.gather(*(bounded(source) for source in sources))
    # Storing is serial: one writer at a time suits SQLite, and the archive index is shared.
    for source, fetched in zip(sources, results, strict=True):
        try:
            # Parsing runs in a worker process, storing in a worker thread: the bot answers.
            parsed = await _parse(source, fetched, now)
            stored = None
            if parsed is not None and not parsed.fatal:
                stored = await _store(
                    sessionmaker, pipeline, source, parsed, now=now, started=started
                )
            async with session_scope(sessionmaker) as session:
                await _settle(
                    session,
                    source,
                    fetched,
                    parsed=parsed,
                    stored=stored,
                    settings=settings,
                    renderer=renderer,
                    now=now,
                    outcome=outcome,
                )
        except Exception as exc:
            # One bad source must not stop the others; the index may hold articles of a chunk
            # that was rolled back, so it is rebuilt on the next run.
            logger.exception("source %s: ingest failed", source.url)
            pipeline.archive.built_at = None
            async with session_scope(sessionmaker) as session:
                record_failure(
                    await session.merge(source),
                    now=now,
                    reason=f"ingest error: {type(exc).__name__}: {exc}"[:300],
                    schedule=settings.schedule,
                    retry_after=None,
                )
    return outcome
