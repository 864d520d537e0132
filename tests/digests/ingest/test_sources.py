"""Source scheduling and health: due times, backoff, pausing with an admin notice, polling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from sqlalchemy import func, select

from digests.db import session_scope
from digests.ingest.fetch import FetchLimits
from digests.ingest.poll import PollSettings, poll_due_sources
from digests.ingest.sources import Schedule, backoff_delay, next_fetch_after_success
from digests.ingest.store import EnrichSettings, Pipeline
from digests.models import Article, ChatType, Delivery, DeliveryKind, Source, SourceStatus
from digests.readers.chats import ChatInfo, register_chat
from tests.digests.ingest.server import FeedServer
from tests.factories import add_source

NOW = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
SCHEDULE = Schedule(max_failures=3)


def test_next_fetch_respects_ttl_and_cache_control_within_bounds():
    assert next_fetch_after_success(
        NOW, ttl_seconds=None, max_age=None, schedule=SCHEDULE
    ) == NOW + timedelta(minutes=15)
    assert next_fetch_after_success(
        NOW, ttl_seconds=1800, max_age=60, schedule=SCHEDULE
    ) == NOW + timedelta(minutes=30)
    assert next_fetch_after_success(
        NOW, ttl_seconds=10, max_age=None, schedule=SCHEDULE
    ) == NOW + timedelta(minutes=5)
    assert next_fetch_after_success(
        NOW, ttl_seconds=None, max_age=10**6, schedule=SCHEDULE
    ) == NOW + timedelta(hours=6)


def test_backoff_doubles_up_to_a_ceiling_and_honours_retry_after():
    assert [backoff_delay(n, SCHEDULE).total_seconds() / 60 for n in (1, 2, 3, 4)] == [
        5,
        10,
        20,
        40,
    ]
    assert backoff_delay(30, SCHEDULE) == timedelta(hours=12)
    assert backoff_delay(1, SCHEDULE, retry_after=3600) == timedelta(hours=1)


@pytest.fixture
async def server():
    feed_server = FeedServer()
    await feed_server.start()
    yield feed_server
    await feed_server.stop()


async def _poll(sessionmaker, renderer, now, admin_ids=(1001,)):
    settings = PollSettings(
        limits=FetchLimits(timeout_seconds=2), schedule=SCHEDULE, admin_ids=list(admin_ids)
    )
    async with aiohttp.ClientSession() as client:
        return await poll_due_sources(
            sessionmaker=sessionmaker,
            client=client,
            pipeline=Pipeline(EnrichSettings()),
            settings=settings,
            renderer=renderer,
            now=now,
        )


async def test_poll_ingests_then_gets_304(sessionmaker, renderer, server):
    async with session_scope(sessionmaker) as session:
        await add_source(session, server.base + "/rss")
    first = await _poll(sessionmaker, renderer, NOW)
    assert (first.fetched, first.report.added) == (2, 2) or (first.fetched, first.report.added) == (
        1,
        2,
    )
    async with session_scope(sessionmaker) as session:
        source = await session.scalar(select(Source))
        assert source.etag == '"v1"' and source.title == "Example Times"
        assert source.next_fetch_at == NOW + timedelta(hours=1)  # Cache-Control beats ttl 30 min
    assert (await _poll(sessionmaker, renderer, NOW)).fetched == 0  # not due yet
    second = await _poll(sessionmaker, renderer, NOW + timedelta(hours=2))
    assert second.not_modified == 1
    async with session_scope(sessionmaker) as session:
        assert await session.scalar(select(func.count()).select_from(Article)) == 2


async def test_a_long_feed_with_a_bad_character_reference_is_stored_whole(
    sessionmaker, renderer, server
):
    async with session_scope(sessionmaker) as session:
        await add_source(session, server.base + "/many")
    outcome = await _poll(sessionmaker, renderer, NOW)
    assert (outcome.fetched, outcome.failed, outcome.report.added) == (1, 0, 250)
    assert (
        "entry 120: an invalid character reference (&#xD800;) was replaced by U+FFFD"
        in outcome.report.problems
    )
    async with session_scope(sessionmaker) as session:
        source = await session.scalar(select(Source))
        assert (source.status, source.error_count) == (SourceStatus.ACTIVE, 0)
        assert await session.scalar(select(func.count()).select_from(Article)) == 250


async def test_failing_source_backs_off_then_pauses_and_notifies_owners(
    sessionmaker, renderer, server
):
    async with session_scope(sessionmaker) as session:
        await add_source(session, server.base + "/gone")
        await add_source(session, server.base + "/broken")
        await register_chat(
            session=session,
            info=ChatInfo(telegram_id=1001, type=ChatType.PRIVATE),
            language="en",
            timezone="UTC",
            now=NOW,
        )
    when = NOW
    for _ in range(3):
        outcome = await _poll(sessionmaker, renderer, when)
        when += timedelta(days=1)
    assert outcome.paused == 2
    async with session_scope(sessionmaker) as session:
        sources = list(await session.scalars(select(Source).order_by(Source.id)))
        notices = list(
            await session.scalars(select(Delivery).where(Delivery.kind == DeliveryKind.NOTICE))
        )
    assert [s.status for s in sources] == [SourceStatus.PAUSED, SourceStatus.PAUSED]
    assert "HTTP 503" in sources[0].paused_reason
    assert "not well-formed XML" in sources[1].paused_reason
    assert len(notices) == 2
    assert "Source paused" in notices[0].payload["text"]
    assert server.base + "/gone" in notices[0].payload["text"]
