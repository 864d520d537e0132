"""Health and metrics of a real `newsbot send` process, scraped over loopback HTTP."""

from __future__ import annotations

import asyncio
import json
import re
import socket

from bot.fakeapi import FakeBotAPI, FakeBotAPIServer
from tests.bot.cli.running import newsbot
from tests.conftest import TEST_TOKEN
from tests.digests.delivery.sending import add_chats, queue
from tests.e2e.conftest import database, free_port, http_get, spawn


def getme(call) -> bool:
    """A sending worker's start: its bot's getMe."""
    return call.method == "getMe"


def value(metrics: str, name: str) -> float:
    """One sample's value in Prometheus text (0 when the series is not there yet)."""
    match = re.search(rf"^{re.escape(name)} (\S+)$", metrics, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def test_a_scrape_sees_the_counters_move_after_traffic(tmp_path):
    api = FakeBotAPI()
    database_url = f"sqlite:///{tmp_path / 'send.sqlite3'}"
    port = free_port()
    async with (
        FakeBotAPIServer(api, token=TEST_TOKEN) as server,
        spawn(
            api,
            server.base_url,
            database_url,
            tmp_path,
            "send",
            ready=getme,
            METRICS_PORT=str(port),
        ) as worker,
    ):
        assert await http_get(port, "/healthz") == (200, '{"status": "alive"}')
        for _ in range(100):  # ready once the sender holds its lease and has recovered
            status, body = await http_get(port, "/readyz")
            if status == 200:
                break
            assert json.loads(body)["sender"] == "starting", body
            await asyncio.sleep(0.1)
        assert status == 200, body
        assert json.loads(body) == {
            "ready": True,
            "database": "ok",
            "sender": "running",
            "bot_api": "reachable",
        }
        _, before = await http_get(port, "/metrics")
        assert value(before, 'newsbot_messages_sent_total{kind="digest"}') == 0
        assert value(before, "newsbot_send_rate_limit") == 30

        api.block(5003)
        async with database(database_url) as sessionmaker:
            chats = await add_chats(sessionmaker, [5001, 5002, 5003])
            for chat in chats:
                await queue(sessionmaker, chat, "Morning news", ref="digest:20261201T080000Z")
        await api.wait_for_message(chat_id=5001, timeout=30)
        await api.wait_for_message(chat_id=5002, timeout=30)
        metrics = ""
        for _ in range(100):  # the blocked chat's answer may still be on its way
            _, metrics = await http_get(port, "/metrics")
            if value(metrics, 'newsbot_messages_failed_total{reason="blocked"}'):
                break
            await asyncio.sleep(0.1)
        assert value(metrics, 'newsbot_messages_sent_total{kind="digest"}') == 2
        assert value(metrics, 'newsbot_messages_failed_total{reason="blocked"}') == 1
        assert value(metrics, "newsbot_digest_lateness_seconds_count") == 2
        assert value(metrics, "newsbot_bot_api_up") == 1
        assert value(metrics, 'newsbot_ready{check="sender"}') == 1
        assert "# TYPE newsbot_outbox_depth gauge" in metrics
        assert await worker.stop() == 0


def test_a_metrics_port_already_taken_is_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ran = newsbot(
            "send",
            cwd=tmp_path,
            TELEGRAM_BOT_TOKEN=TEST_TOKEN,
            DATABASE_URL=f"sqlite:///{tmp_path / 'taken.sqlite3'}",
            METRICS_PORT=str(port),
        )

    assert ran.returncode == 2
    assert ran.stderr.strip().splitlines()[-1] == (
        f"newsbot: METRICS_PORT: cannot listen on 127.0.0.1:{port}: the port is already in use "
        "(give each process on a host its own port)"
    )
    assert "Traceback" not in ran.stderr
