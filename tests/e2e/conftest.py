"""End-to-end: a real `newsbot run` process against the loopback fake Bot API."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from bot.fakeapi import FakeBotAPI, FakeBotAPIServer
from digests.db import create_engine, create_sessionmaker
from tests.bot.cli.running import newsbot
from tests.conftest import TEST_TOKEN

pytestmark = pytest.mark.e2e


@dataclass
class RunningBot:
    """A newsbot process, its fake Bot API and where its stderr goes."""

    api: FakeBotAPI
    process: asyncio.subprocess.Process
    log_path: Path

    def log(self) -> str:
        """What the process wrote to stderr so far."""
        return self.log_path.read_text(errors="replace")

    async def stop(self) -> int:
        """SIGTERM, as a process manager would; returns the exit code."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), timeout=20)


def newsbot_environment(base_url: str, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a newsbot process under test: nothing inherited that configures it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("TELEGRAM_", "DATABASE_", "ADMIN_", "WEBHOOK_", "NEWSBOT_CONFIG", "METRICS_", "LOG_")
        )
    }
    env.update(
        TELEGRAM_BOT_TOKEN=TEST_TOKEN,
        TELEGRAM_API_BASE_URL=base_url,
        DATABASE_URL=database_url,
    )
    env.setdefault("LOG_LEVEL", "INFO")
    env.update(extra)
    return env


SAMPLE_FEED = Path(__file__).resolve().parents[2] / "samples" / "newsroom.xml"


def polling_started(call) -> bool:
    """deleteWebhook is the last call before long polling starts."""
    return call.method == "deleteWebhook"


@asynccontextmanager
async def spawn(
    api: FakeBotAPI,
    base_url: str,
    database_url: str,
    cwd: Path,
    *args: str,
    ready=polling_started,
    log_name: str = "newsbot.log",
    **env: str,
) -> AsyncIterator[RunningBot]:
    """`python -m bot ARGS` (default `run`) against the fake at `base_url`, once `ready(call)`.

    The process is killed on the way out if the test has not stopped it.
    """
    environment = newsbot_environment(base_url, database_url, **env)
    log_path = cwd / log_name
    after = len(api.calls)
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *(args or ("run",)),
            cwd=cwd,
            env=environment,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    bot = RunningBot(api=api, process=process, log_path=log_path)
    try:
        await api.wait_for(ready, timeout=60, after=after)
        yield bot
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


@asynccontextmanager
async def start_bot(
    tmp_path: Path,
    *args: str,
    archive: bool = False,
    database_url: str | None = None,
    ready=polling_started,
    **env: str,
) -> AsyncIterator[RunningBot]:
    """`newsbot ARGS` (default `run`, polling) with its own fake Bot API over loopback HTTP.

    On a fresh SQLite file unless `database_url` says otherwise. With `archive`, the shipped
    sample feed is ingested first (`newsbot ingest`, in process).
    """
    api = FakeBotAPI()
    database_url = database_url or f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
    if archive:
        # Setting the scene, not under test: in process (`newsbot ingest` has its own tests),
        # on a thread because the command runs its own event loop.
        ingested = await asyncio.to_thread(
            newsbot, "ingest", str(SAMPLE_FEED), cwd=tmp_path, DATABASE_URL=database_url
        )
        assert ingested.returncode == 0, ingested.stderr
    async with (
        FakeBotAPIServer(api, token=TEST_TOKEN) as server,
        spawn(api, server.base_url, database_url, tmp_path, *args, ready=ready, **env) as bot,
    ):
        yield bot


@asynccontextmanager
async def database(database_url: str):
    """A sessionmaker on the database a process under test uses (for setting the scene)."""
    engine = create_engine(database_url)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


async def http_get(port: int, path: str) -> tuple[int, str]:
    """GET a loopback server's path (the health and metrics server's); (status, body)."""
    async with (
        aiohttp.ClientSession() as client,
        client.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, await response.text()


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def running_bot(tmp_path: Path) -> AsyncIterator[RunningBot]:
    """A newsbot process with an empty archive."""
    async with start_bot(tmp_path) as bot:
        yield bot


@pytest.fixture
async def running_bot_with_archive(tmp_path: Path) -> AsyncIterator[RunningBot]:
    """A newsbot process whose archive holds the sample feed."""
    async with start_bot(tmp_path, archive=True) as bot:
        yield bot


def run_newsbot(tmp_path: Path, **environment: str):
    """start_bot with extra environment (ADMIN_IDS, …) and an empty archive."""
    return start_bot(tmp_path, **environment)
