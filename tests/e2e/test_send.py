"""The sender in real processes: inside `newsbot run`, and alone as `newsbot send`."""

from __future__ import annotations

import asyncio
import signal
import sys

from bot.fakeapi import FakeBotAPI, FakeBotAPIServer
from digests.db import create_engine, create_sessionmaker
from tests.conftest import TEST_TOKEN
from tests.digests.delivery.sending import add_chats, queue
from tests.e2e.conftest import newsbot_environment


async def _queue_for(database_url: str, telegram_id: int, text: str) -> None:
    engine = create_engine(database_url)
    try:
        sessionmaker = create_sessionmaker(engine)
        [chat_id] = await add_chats(sessionmaker, [telegram_id])
        await queue(sessionmaker, chat_id, text)
    finally:
        await engine.dispose()


async def test_newsbot_run_sends_what_the_outbox_holds(running_bot, tmp_path):
    await _queue_for(f"sqlite:///{tmp_path / 'e2e.sqlite3'}", 4242, "<b>Queued</b> news")

    message = await running_bot.api.wait_for_message(chat_id=4242, timeout=30)

    assert message["plain_text"] == "Queued news"
    assert await running_bot.stop() == 0


async def test_newsbot_send_runs_alone_and_stops_on_sigterm(tmp_path):
    api = FakeBotAPI()
    database_url = f"sqlite:///{tmp_path / 'send.sqlite3'}"
    async with FakeBotAPIServer(api, token=TEST_TOKEN) as server:
        log_path = tmp_path / "send.log"
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "send",
                cwd=tmp_path,
                env=newsbot_environment(server.base_url, database_url),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        try:
            await api.wait_for(lambda call: call.method == "getMe", timeout=60)
            await _queue_for(database_url, 4343, "Worker news")
            message = await api.wait_for_message(chat_id=4343, timeout=30)
            process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), timeout=20)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert message["text"] == "Worker news" and code == 0
    log = log_path.read_text()
    assert "sender" in log and "stopped" in log and TEST_TOKEN not in log
    assert not api.calls_to("getUpdates")  # a sending worker does not poll for updates
