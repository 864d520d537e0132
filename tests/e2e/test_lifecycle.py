"""`newsbot run` as a process manager sees it, on both databases: one polling instance per
database, and SIGTERM that stops within its bound and loses nothing across a restart."""

from __future__ import annotations

import json
import time
from collections import Counter

from sqlalchemy import func, select

from bot.fakeapi import FakeBotAPI, FakeBotAPIServer
from bot.fakeapi.faults import Delay
from bot.serve import SHUTDOWN_BOUND
from digests.db import session_scope
from digests.models import Delivery, DeliveryStatus
from tests.bot.cli.running import newsbot_process
from tests.conftest import TEST_TOKEN
from tests.digests.delivery.sending import add_chats, queue
from tests.e2e.conftest import database, free_port, http_get, newsbot_environment, spawn

CHATS = 40


async def test_a_second_polling_instance_is_refused_with_one_line(tmp_path, database_url):
    api = FakeBotAPI()
    metrics_port = free_port()
    async with (
        FakeBotAPIServer(api, token=TEST_TOKEN) as server,
        spawn(
            api, server.base_url, database_url, tmp_path, METRICS_PORT=str(metrics_port)
        ) as first,
    ):
        environment = newsbot_environment(server.base_url, database_url)
        second = newsbot_process("run", cwd=tmp_path, **environment)
        status, ready = await http_get(metrics_port, "/readyz")

        assert second.returncode == 2
        [line] = second.stderr.strip().splitlines()
        assert "another `newsbot run` is already long polling with this database" in line
        assert "webhook mode" in line
        assert first.process.returncode is None  # the first one carries on
        assert status == 200 and json.loads(ready)["sender"] == "running", ready
        assert await first.stop() == 0


async def _statuses(database_url: str) -> dict[DeliveryStatus, int]:
    async with database(database_url) as sessionmaker, session_scope(sessionmaker) as session:
        rows = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        return {status: count for status, count in rows}


async def test_sigterm_stops_within_the_bound_and_a_restart_loses_nothing(tmp_path, database_url):
    api = FakeBotAPI()
    api.fail_rate(Delay(1.5), 1.0, method="sendMessage")  # requests are on the wire at SIGTERM
    async with database(database_url) as sessionmaker:
        chats = await add_chats(sessionmaker, range(7001, 7001 + CHATS))
        for chat in chats:
            await queue(sessionmaker, chat, "Evening news", ref="evening")
    async with FakeBotAPIServer(api, token=TEST_TOKEN) as server:
        # 10 messages a second: most of the outbox is still held or queued when SIGTERM comes.
        async with spawn(
            api, server.base_url, database_url, tmp_path, SENDER_RATE="10", log_name="first.log"
        ) as first:
            await api.wait_for(lambda call: call.method == "sendMessage", timeout=30)
            await api.wait_until(lambda: len(api.sent_messages()) >= 5, timeout=30)
            started = time.monotonic()
            code = await first.stop()
            elapsed = time.monotonic() - started
        assert code == 0, first.log()
        assert elapsed < SHUTDOWN_BOUND
        statuses = await _statuses(database_url)
        assert DeliveryStatus.SENDING not in statuses  # each request finished or was released
        assert statuses[DeliveryStatus.PENDING] > 0 and statuses[DeliveryStatus.SENT] >= 5
        assert "stopped in" in first.log()

        api.clear_faults()
        async with spawn(
            api, server.base_url, database_url, tmp_path, SENDER_RATE="100", log_name="second.log"
        ) as second:
            await api.wait_until(lambda: len(api.sent_messages()) >= CHATS, timeout=60)
            assert await second.stop() == 0

    received = Counter(message["chat_id"] for message in api.sent_messages())
    assert sorted(received) == list(range(7001, 7001 + CHATS))  # none lost
    assert set(received.values()) == {1}  # none twice
    assert await _statuses(database_url) == {DeliveryStatus.SENT: CHATS}
