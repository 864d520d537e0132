"""Polling: fetch every due source concurrently (bounded), ingest what changed, record health."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.db import session_scope
from digests.ingest.fetch import FetchError, FetchLimits, FetchResult, fetch_feed
from digests.ingest.parse import parse_document
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


async def _settle(
    session: AsyncSession,
    source: Source,
    fetched: FetchResult | FetchError,
    *,
    pipeline: Pipeline,
    settings: PollSettings,
    renderer: Renderer,
    now: datetime,
    outcome: PollOutcome,
    stored_at: datetime | None = None,
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
    else:
        outcome.fetched += 1
        parsed = parse_document(
            fetched.body, base_url=fetched.url, now=now, content_type=fetched.content_type
        )
        for problem in parsed.problems:
            logger.info("source %s: %s", source.url, problem)
        if parsed.fatal:
            await _settle(
                session,
                source,
                FetchError(parsed.problems[-1]),
                pipeline=pipeline,
                settings=settings,
                renderer=renderer,
                now=now,
                outcome=outcome,
            )
            outcome.fetched -= 1
            return
        if parsed.title and not source.title:
            source.title = parsed.title[:255]
        ttl = parsed.ttl_seconds
        report = await pipeline.store(
            session=session, entries=parsed.entries, source=source, now=stored_at or now
        )
        report.problems.extend(parsed.problems)
        outcome.report.merge(report)
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
        # Articles are stamped when stored, not when the run began: a digest window read after
        # this commit must not end before their arrival (see digests.editions.plan.SETTLE).
        stored_at = now + timedelta(seconds=time.monotonic() - started)
        try:
            async with session_scope(sessionmaker) as session:
                await _settle(
                    session,
                    source,
                    fetched,
                    pipeline=pipeline,
                    settings=settings,
                    renderer=renderer,
                    now=now,
                    stored_at=stored_at,
                    outcome=outcome,
                )
        except Exception as exc:
            # One bad source must not stop the others; the index may hold its rolled-back
            # articles, so it is rebuilt on the next run.
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
