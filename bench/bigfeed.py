"""A 9.5 MB feed of 40,000 items polled while readers press /start (part of bench.ingest).

The bot (the real Application over the recording fake Bot API) gets a /start from a new user
every PROBE_EVERY seconds through `process_update`, first idle (the baseline), then while the
poller fetches the feed from a loopback server, parses it and stores what the entry cap keeps.
The figure is the longest time any one /start took to handle.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import aiohttp
from aiohttp import web
from telegram import Update

from bench.corpus import Corpus
from bot.app import build_application
from bot.context import services_of
from bot.fakeapi import FakeBotAPI, RecordingRequest
from digests.config import Settings
from digests.db import session_scope
from digests.ingest.catalog import load_catalog, sync_catalog
from digests.ingest.poll import poll_due_sources
from digests.ingest.setup import poll_settings
from digests.models import Source
from digests.resources import default_config_path
from tests.conftest import TEST_TOKEN

ITEMS = 40_000
PROBE_EVERY = 0.05
IDLE_SECONDS = 2.0
TARGET_MS = 250


def big_feed(items: int = ITEMS) -> bytes:
    """An RSS 2.0 feed of short items, about 240 bytes each (9.5 MB for 40,000)."""
    corpus = Corpus(seed=3)
    start = datetime(2026, 11, 30, tzinfo=UTC)
    parts = ['<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>']
    for n in range(items):
        when = format_datetime(start - timedelta(minutes=n), usegmt=True)
        parts.append(
            f"<item><title>{corpus.sentence(8)[:-1]}</title>"
            f"<link>https://wire.example/{n}</link><description>{corpus.sentence(14)}"
            f"</description><pubDate>{when}</pubDate></item>\n"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


async def _serve(body: bytes) -> tuple[web.AppRunner, str]:
    async def feed(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/wire.xml", feed)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/wire.xml"


async def _probe(application, api: FakeBotAPI, until: asyncio.Event, first_user: int) -> list:
    """Handle a /start from a new user every PROBE_EVERY s until `until`; each one's ms."""
    latencies: list[float] = []
    user = first_user
    while not until.is_set():
        user += 1
        update = Update.de_json(api.user_message("/start", user_id=user), application.bot)
        began = time.perf_counter()
        await application.process_update(update)
        latencies.append((time.perf_counter() - began) * 1000)
        await asyncio.sleep(PROBE_EVERY)
    return latencies


def _summary(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "probes": len(ordered),
        "max_ms": round(ordered[-1], 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "median_ms": round(statistics.median(ordered), 1),
    }


async def run(url: str, body: bytes) -> dict[str, object]:
    """Idle probes, then probes while one poll run ingests the big feed; their latencies."""
    settings = Settings(_env_file=None, telegram_bot_token=TEST_TOKEN, database_url=url)
    api = FakeBotAPI()
    application = build_application(
        settings, request=RecordingRequest(api), get_updates_request=RecordingRequest(api)
    )
    await application.initialize()
    await application.post_init(application)
    runner, feed_url = await _serve(body)
    services = services_of(application)
    try:
        async with session_scope(services.sessionmaker) as session:
            await sync_catalog(session=session, catalog=load_catalog(default_config_path()))
            session.add(Source(url=feed_url, title="Wire"))
        idle = asyncio.Event()
        asyncio.get_running_loop().call_later(IDLE_SECONDS, idle.set)
        baseline = await _probe(application, api, idle, 10_000_000)
        done = asyncio.Event()
        probing = asyncio.create_task(_probe(application, api, done, 20_000_000))
        began = time.perf_counter()
        async with aiohttp.ClientSession() as client:
            outcome = await poll_due_sources(
                sessionmaker=services.sessionmaker,
                client=client,
                pipeline=services.pipeline,
                settings=poll_settings(settings),
                renderer=services.renderer,
                now=datetime.now(UTC),
            )
        poll_seconds = time.perf_counter() - began
        done.set()
        during = await probing
    finally:
        await runner.cleanup()
        await application.post_shutdown(application)
        await application.shutdown()
    answered = len(api.sent_messages())
    return {
        "poll_seconds": round(poll_seconds, 2),
        "fetched": outcome.fetched,
        "failed": outcome.failed,
        "stored": outcome.report.added,
        "problems": outcome.report.problems[-3:],
        "probe_during_poll": _summary(during),
        "baseline_probe_idle": _summary(baseline),
        "probes_answered": answered,
        "target_max_ms": TARGET_MS,
        "meets_target": max(during) <= TARGET_MS and answered == len(during) + len(baseline),
    }
