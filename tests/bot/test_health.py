"""/healthz and /readyz of the real aiohttp application, over loopback HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import aiohttp
import pytest

from bot.health import HttpServer, Probes, health_app
from bot.listeners import bind
from digests.db import create_engine, create_sessionmaker


@asynccontextmanager
async def serving(probes: Probes) -> AsyncIterator[Callable]:
    """The health server on a loopback port; yields get(path) -> (status, JSON)."""
    server = HttpServer(health_app(probes), bind("127.0.0.1", 0, "METRICS_PORT"), "health")
    await server.start()
    port = server.sock.getsockname()[1]

    async def get(path: str) -> tuple[int, dict]:
        async with (
            aiohttp.ClientSession() as client,
            client.get(f"http://127.0.0.1:{port}{path}") as response,
        ):
            return response.status, json.loads(await response.text())

    try:
        yield get
    finally:
        await server.stop()


async def test_ready_when_the_database_answers_and_the_sender_runs(sessionmaker):
    probes = Probes(lambda: sessionmaker, lambda: "running", bot_api=lambda: True)
    async with serving(probes) as get:
        assert await get("/readyz") == (
            200,
            {"ready": True, "database": "ok", "sender": "running", "bot_api": "reachable"},
        )


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-directory/newsbot.sqlite3",
        # Nothing listens on port 9 (discard) of the loopback address.
        "postgresql://postgres@127.0.0.1:9/newsbot",
    ],
    ids=["sqlite", "postgresql"],
)
async def test_readyz_fails_when_the_database_is_unreachable(url):
    engine = create_engine(url)
    unreachable = create_sessionmaker(engine)
    probes = Probes(lambda: unreachable, lambda: "running", bot_api=lambda: True)
    try:
        async with serving(probes) as get:
            status, body = await get("/readyz")
            alive = await get("/healthz")
    finally:
        await engine.dispose()

    assert status == 503
    assert body["ready"] is False and body["database"] == "unreachable"
    assert alive == (200, {"status": "alive"})  # alive, only not ready


async def test_readyz_fails_when_the_sender_stopped_or_the_bot_api_did_not_answer(sessionmaker):
    async with serving(Probes(lambda: sessionmaker, lambda: "stopped")) as get:
        status, body = await get("/readyz")
    assert (status, body["sender"]) == (503, "stopped")
    down = Probes(lambda: sessionmaker, lambda: "running", bot_api=lambda: False)
    async with serving(down) as get:
        status, body = await get("/readyz")
    assert (status, body["bot_api"]) == (503, "unreachable")
