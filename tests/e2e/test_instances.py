"""Several `newsbot send` processes on one PostgreSQL database share one bot's limits."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import distinct, func, select

from bot.fakeapi import FakeBotAPI, FakeBotAPIServer
from digests.db import create_engine, create_sessionmaker, session_scope
from digests.models import ChatType, Delivery, DeliveryKind, Priority
from tests.conftest import TEST_TOKEN
from tests.databases import PostgresDatabase
from tests.digests.delivery.sending import add_chats, queue, unfinished
from tests.e2e.conftest import newsbot_environment

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
RATE = 30


async def _outbox(url: str) -> int:
    """Alerts to 120 readers, two-part digests to 40 of them, three notices to 6 groups."""
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    try:
        readers = await add_chats(sessionmaker, range(7000, 7120))
        groups = await add_chats(sessionmaker, range(-7006, -7000), ChatType.GROUP)
        for chat_id in readers:
            await queue(
                sessionmaker,
                chat_id,
                f"Alert for {chat_id}",
                kind=DeliveryKind.ALERT,
                ref="a1",
                priority=Priority.ALERT,
            )
        for chat_id in readers[:40]:
            for part in range(2):
                await queue(sessionmaker, chat_id, f"Digest {chat_id} part {part}", part=part)
        for chat_id in groups:
            for n in range(3):
                await queue(
                    sessionmaker,
                    chat_id,
                    f"Notice {n} to {chat_id}",
                    ref=f"n{n}",
                    kind=DeliveryKind.NOTICE,
                    priority=Priority.NOTICE,
                )
        return 120 + 80 + 18
    finally:
        await engine.dispose()


async def _start(base_url: str, url: str, log: Path) -> asyncio.subprocess.Process:
    with log.open("wb") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "send",
            cwd=log.parent,
            env=newsbot_environment(base_url, url, SENDER_RATE=str(RATE)),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=out,
        )


async def test_two_senders_deliver_every_message_once_within_the_bots_rate(
    postgres_database: PostgresDatabase | None, tmp_path: Path
):
    if postgres_database is None:
        pytest.skip("NEWSBOT_TEST_POSTGRES_URL is not set")
    await postgres_database.truncate()
    url = postgres_database.url
    expected = await _outbox(url)
    api = FakeBotAPI()
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    async with FakeBotAPIServer(api, token=TEST_TOKEN) as server:
        processes = [await _start(server.base_url, url, tmp_path / f"send{n}.log") for n in (1, 2)]
        try:
            for _ in range(300):  # at 30/s the outbox takes about 8 s
                if not await unfinished(sessionmaker):
                    break
                await asyncio.sleep(0.1)
            for process in processes:
                process.send_signal(signal.SIGTERM)
            codes = [await asyncio.wait_for(p.wait(), timeout=20) for p in processes]
        finally:
            for process in processes:
                if process.returncode is None:
                    process.kill()
                    await process.wait()
        async with session_scope(sessionmaker) as session:
            senders = await session.scalar(select(func.count(distinct(Delivery.claimed_by))))
    await engine.dispose()

    logs = [(tmp_path / f"send{n}.log").read_text() for n in (1, 2)]
    assert codes == [0, 0], logs
    received = Counter((m["chat_id"], m["text"]) for m in api.sent_messages())
    assert len(received) == expected, logs  # nothing lost
    assert set(received.values()) == {1}  # nothing twice
    assert senders == 2  # both took part
    # Counted by the fake on arrival, over sliding windows: the bot's rate, not each process's.
    assert api.most_in_any_window(1.0) <= RATE
    for chat_id in {chat for chat, _ in received}:
        assert api.most_in_any_window(1.0, chat_id=chat_id) <= 1
