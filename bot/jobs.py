"""Recurring jobs (PTB's JobQueue): each asks the database what is due now and does it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from bot.context import NewsContext, Services
from digests.desk.housekeeping import BATCH as RETENTION_BATCH
from digests.desk.housekeeping import expire_transient, purge_batch
from digests.desk.threads import retire_gone_threads
from digests.editions.assemble import Limits
from digests.editions.build import BuildCache, BuildOptions, BuildReport, build_due_editions
from digests.ingest.poll import poll_due_sources
from digests.ingest.setup import enrich_settings, fetch_client, poll_settings
from digests.ingest.store import Pipeline
from digests.leases import hold_lease, job_lease
from digests.metrics import DIGEST_BUILD_SECONDS, DIGESTS_BUILT
from digests.models import utcnow

logger = logging.getLogger(__name__)

# One run stops after this many batches so a backlog cannot starve the other jobs.
MAX_DIGEST_BATCHES = 50
MAINTENANCE_SECONDS = 3600
Job = Callable[[NewsContext], Coroutine[Any, Any, None]]


def once_across_instances(name: str, job: Job, *, hold: float) -> Job:
    """`job` run by one process at a time however many share the database.

    The runner holds the lease `job:<name>` for `hold` seconds and renews it at each run;
    the others skip their runs while it is live and take over once the runner is gone.
    """

    async def claimed(context: NewsContext) -> None:
        services = context.services
        async with context.session() as session:
            held = await hold_lease(
                session=session,
                name=job_lease(name),
                owner=services.instance,
                seconds=hold,
                now=utcnow(),
            )
        if held:
            await job(context)

    claimed.__name__ = claimed.__qualname__ = job.__name__
    return claimed


async def maintenance(context: NewsContext) -> None:
    """Job: forget what RETENTION_DAYS lets go, expired conversation state and old leases."""
    now, removed = utcnow(), {}
    async with context.session() as session:
        removed = await expire_transient(session=session, now=now)
    for kind, days in context.settings.retention_days.items():
        removed[kind] = 0
        while True:  # one transaction per batch: no table is held for long
            async with context.session() as session:
                count = await purge_batch(session=session, kind=kind, days=days, now=now)
            removed[kind] += count
            if count < RETENTION_BATCH:
                break
    if any(removed.values()):
        logger.info("maintenance: removed %s", removed)


def digest_options(context: NewsContext) -> BuildOptions:
    """Digest building options from the settings and the bot's own username."""
    settings = context.settings
    return BuildOptions(
        limits=Limits.of(settings),
        send_empty=settings.digest_send_empty,
        bot_username=context.bot.username,
    )


async def build_digests(context: NewsContext) -> None:
    """Build and queue every digest that is due, one transaction per batch."""
    options = digest_options(context)
    total, cache, now, started = BuildReport(), BuildCache(), utcnow(), time.perf_counter()
    for _ in range(MAX_DIGEST_BATCHES):
        async with context.session() as session:
            report = await build_due_editions(
                session=session,
                renderer=context.services.renderer,
                now=now,
                options=options,
                cache=cache,
            )
        total.add(report)
        if report.chats < options.batch_size:
            break
    async with context.session() as session:  # forum threads gone since the last run
        await retire_gone_threads(session=session, renderer=context.services.renderer, now=now)
    if total.chats:
        DIGESTS_BUILT.inc(total.chats)
        DIGEST_BUILD_SECONDS.observe(time.perf_counter() - started)
        logger.info(
            "digests: %d chats, %d messages queued, %d renderings",
            total.chats,
            total.messages,
            total.renderings,
        )


def open_content(services: Services) -> None:
    """Create the HTTP client and the pipeline (whose archive index lives between runs)."""
    services.http = fetch_client(services.settings)
    services.pipeline = Pipeline(enrich_settings(services.settings))


async def close_content(services: Services) -> None:
    """Close the HTTP client."""
    if services.http is not None:
        await services.http.close()
        services.http = None


async def poll_sources(context: NewsContext) -> None:
    """Fetch the sources whose next fetch time has come and ingest what is new."""
    services = context.services
    if services.sessionmaker is None or services.http is None:
        return
    outcome = await poll_due_sources(
        sessionmaker=services.sessionmaker,
        client=services.http,
        pipeline=services.pipeline,
        settings=poll_settings(services.settings),
        renderer=services.renderer,
        now=datetime.now(UTC),
    )
    if outcome.fetched or outcome.failed:
        logger.info(
            "poll: %d fetched, %d unchanged, %d failed, %d paused; %s",
            outcome.fetched,
            outcome.not_modified,
            outcome.failed,
            outcome.paused,
            outcome.report.as_dict(),
        )
