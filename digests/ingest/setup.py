"""The content pipeline's parts configured from Settings."""

from __future__ import annotations

from datetime import timedelta

import aiohttp

from digests.config import Settings
from digests.enrich.linking import BLENDED_STORY_THRESHOLD, LEXICAL_STORY_THRESHOLD, LinkSettings
from digests.enrich.summary import Method
from digests.ingest.fetch import DEFAULT_USER_AGENT, FetchLimits
from digests.ingest.guard import open_client
from digests.ingest.poll import PollSettings
from digests.ingest.sources import Schedule
from digests.ingest.store import EnrichSettings


def fetch_limits(settings: Settings) -> FetchLimits:
    """Timeout, size cap and User-Agent for fetching."""
    return FetchLimits(
        timeout_seconds=settings.fetch_timeout_seconds,
        max_bytes=settings.fetch_max_bytes,
        user_agent=settings.fetch_user_agent or DEFAULT_USER_AGENT,
    )


def fetch_client(settings: Settings) -> aiohttp.ClientSession:
    """The HTTP client for fetching feeds: public hosts only unless the settings allow more."""
    return open_client(allow_private_hosts=settings.fetch_allow_private_hosts)


def schedule(settings: Settings) -> Schedule:
    """Fetch interval bounds and the failure limit."""
    low = timedelta(minutes=settings.fetch_min_interval_minutes)
    high = max(low, timedelta(minutes=settings.fetch_max_interval_minutes))
    return Schedule(
        default_interval=min(high, max(low, timedelta(minutes=settings.fetch_interval_minutes))),
        min_interval=low,
        max_interval=high,
        max_failures=settings.source_max_failures,
    )


def enrich_settings(settings: Settings) -> EnrichSettings:
    """Summary budget and method, the embedder, story threshold and windows."""
    threshold = settings.story_threshold or (
        LEXICAL_STORY_THRESHOLD if settings.embedder == "none" else BLENDED_STORY_THRESHOLD
    )
    return EnrichSettings(
        summary_chars=settings.summary_max_chars,
        summary_method=Method(settings.summary_method),
        embedder=settings.embedder,
        link=LinkSettings(
            story_threshold=threshold,
            story_window=timedelta(hours=settings.story_window_hours),
            related_window=timedelta(days=settings.related_window_days),
        ),
    )


def poll_settings(settings: Settings) -> PollSettings:
    """Everything a poll run needs from the settings."""
    return PollSettings(
        limits=fetch_limits(settings),
        schedule=schedule(settings),
        concurrency=settings.poll_concurrency,
        admin_ids=list(settings.admin_ids),
    )
