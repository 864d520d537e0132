"""End-to-end: a real `newsbot run` process against the loopback fake Bot API."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import TEST_TOKEN
from tests.fakebotapi import FakeBotAPI, FakeBotAPIServer

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
        if not key.startswith(("TELEGRAM_", "DATABASE_", "ADMIN_", "WEBHOOK_", "NEWSBOT_CONFIG"))
    }
    env.update(
        TELEGRAM_BOT_TOKEN=TEST_TOKEN,
        TELEGRAM_API_BASE_URL=base_url,
        DATABASE_URL=database_url,
    )
    env.setdefault("LOG_LEVEL", "INFO")
    env.update(extra)
    return env


@asynccontextmanager
async def run_newsbot(tmp_path: Path, **environment: str) -> AsyncIterator[RunningBot]:
    """`newsbot run` on a fresh SQLite file, polling a fresh fake Bot API over loopback HTTP."""
    api = FakeBotAPI()
    async with FakeBotAPIServer(api, token=TEST_TOKEN) as server:
        log_path = tmp_path / "newsbot.log"
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=tmp_path,
                env=newsbot_environment(
                    server.base_url, f"sqlite:///{tmp_path / 'e2e.sqlite3'}", **environment
                ),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        bot = RunningBot(api=api, process=process, log_path=log_path)
        try:
            # deleteWebhook is the last call before long polling starts.
            await api.wait_for(lambda call: call.method == "deleteWebhook", timeout=60)
            yield bot
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


@pytest.fixture
async def running_bot(tmp_path: Path) -> AsyncIterator[RunningBot]:
    """`newsbot run` with no desk owners configured."""
    async with run_newsbot(tmp_path) as bot:
        yield bot
