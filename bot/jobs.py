"""Recurring jobs: each asks the database what is due now and does it, one session per run."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import aiohttp

from bot.context import NewsContext, Services
from digests.ingest.poll import poll_due_sources
from digests.ingest.setup import enrich_settings, poll_settings
from digests.ingest.store import Pipeline

logger = logging.getLogger(__name__)


def open_content(services: Services) -> None:
    """Create the HTTP client and the pipeline (whose archive index lives between runs)."""
    services.http = aiohttp.ClientSession()
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
