"""Faults bench: 10,000 messages while the fake Bot API injects every failure class.

429s with retry_after, 5xx, timeouts, dropped connections, blocked and deactivated users,
missing chats, migrated groups, chats that always fail, and templates that do not parse,
all at set rates. Every row must end sent, blocked, gone or failed with a reason; rows not
sent are counted by status and failure code (`not_sent_by_code`).
Run from the repository root: `python -m bench.faults`.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import tempfile
import time
from collections import Counter
from typing import Any

from sqlalchemy import select
from telegram import Bot

from bench.common import (
    TOKEN,
    UNFINISHED,
    FakeServerProcess,
    fresh_database,
    peak_memory_mb,
    received_per_chat,
    seed,
    status_counts,
    wait_until,
)
from bot.fakeapi import (
    ChatNotFound,
    Deactivated,
    Disconnect,
    FakeBotAPI,
    FloodWait,
    ServerError,
    Timeout,
)
from bot.request import AiohttpRequest
from digests.db import create_engine, create_sessionmaker, session_scope
from digests.delivery.failures import FailureCode, read_code
from digests.delivery.sender import Limits, Sender, SenderConfig
from digests.models import Chat, ChatStatus, ChatType, Delivery, DeliveryStatus

PRIVATE, GROUPS = 9800, 200
RATES = {"429": 0.0005, "5xx": 0.01, "timeout": 0.003, "disconnect": 0.005}
SHARES = {
    "blocked": 0.02,
    "deactivated": 0.005,
    "not_found": 0.005,
    "always_5xx": 0.001,
    "bad_html": 0.01,
    "migrated_groups": 0.1,
}


def plan(seed_value: int) -> dict[str, list[int]]:
    """Which chats get which standing fault (Telegram ids)."""
    rng = random.Random(seed_value)
    private = list(range(300_000, 300_000 + PRIVATE))
    rng.shuffle(private)
    groups = [-(300_000 + n) for n in range(GROUPS)]
    cut: dict[str, list[int]] = {}
    for name in ("blocked", "deactivated", "not_found", "always_5xx", "bad_html"):
        count = int(PRIVATE * SHARES[name])
        cut[name], private = private[:count], private[count:]
    cut["migrated_groups"] = groups[: int(GROUPS * SHARES["migrated_groups"])]
    return cut


def configure(api: FakeBotAPI, chosen: dict[str, list[int]]) -> None:
    """In the server process: standing faults per chat, then random faults at set rates."""
    for chat in chosen["blocked"]:
        api.block(chat)
    for chat in chosen["deactivated"]:
        api.block(chat, Deactivated())
    for chat in chosen["migrated_groups"]:
        api.migrate(chat, chat - 1_000_000_000_000)
    for chat in chosen["not_found"]:
        api.fail_rate(ChatNotFound(), 1.0, chat_id=chat)
    for chat in chosen["always_5xx"]:
        api.fail_rate(ServerError(500), 1.0, chat_id=chat)
    api.fail_rate(lambda: FloodWait(1), RATES["429"], method="sendMessage", seed=1)
    api.fail_rate(ServerError(502), RATES["5xx"], method="sendMessage", seed=2)
    api.fail_rate(Timeout(hang=2.0), RATES["timeout"], method="sendMessage", seed=3)
    api.fail_rate(Disconnect(), RATES["disconnect"], method="sendMessage", seed=4)


def fault_counts(api: FakeBotAPI) -> dict[str, int]:
    """How many calls each fault answered."""
    counts: dict[str, int] = {}
    for call in api.calls:
        if call.fault is not None:
            name = type(call.fault).__name__
            counts[name] = counts.get(name, 0) + 1
    return counts


async def account(url: str) -> dict[str, Any]:
    """Every row by how it ended; anything else is unaccounted."""
    engine = create_engine(url)
    try:
        async with session_scope(create_sessionmaker(engine)) as session:
            rows = (
                await session.execute(
                    select(
                        Delivery.status,
                        Delivery.error,
                        Delivery.error_code,
                        Chat.status,
                        Chat.telegram_id,
                    ).join(Chat, Chat.id == Delivery.chat_id)
                )
            ).all()
    finally:
        await engine.dispose()
    ends = {
        "sent": 0,
        "sent_as_plain_text": 0,
        "blocked": 0,
        "gone": 0,
        "failed_with_reason": 0,
        "unaccounted": 0,
    }
    sent_to: list[int] = []
    codes: Counter[str] = Counter()
    for status, error, code, chat_status, telegram_id in rows:
        closed = status in (DeliveryStatus.FAILED, DeliveryStatus.CANCELLED)
        if closed:
            codes[f"{status}:{read_code(code)}"] += 1
        if status is DeliveryStatus.SENT:
            ends["sent"] += 1
            sent_to.append(telegram_id)
            ends["sent_as_plain_text"] += code == FailureCode.PLAIN_TEXT
        elif closed and chat_status in (ChatStatus.BLOCKED, ChatStatus.LEFT) and error:
            ends["blocked"] += 1
        elif closed and chat_status in (ChatStatus.GONE, ChatStatus.MIGRATED) and error:
            ends["gone"] += 1
        elif status is DeliveryStatus.FAILED and error:
            ends["failed_with_reason"] += 1
        else:
            ends["unaccounted"] += 1
    return {"ends": ends, "sent_to": sent_to, "codes": dict(sorted(codes.items()))}


async def main(seed_value: int = 7) -> dict[str, Any]:
    """Send 10,000 messages through the faults; account for every row."""
    chosen = plan(seed_value)
    bad_html = set(chosen["bad_html"])
    with tempfile.TemporaryDirectory() as directory, FakeServerProcess() as server:
        url = await fresh_database(directory, "faults")
        chats = [(300_000 + n, ChatType.PRIVATE) for n in range(PRIVATE)]
        chats += [(-(300_000 + n), ChatType.GROUP) for n in range(GROUPS)]
        await seed(
            url,
            chats,
            parts=lambda n: 1,
            ref="faults",
            text=lambda n, part: (
                "<b>unclosed news" if chats[n][0] in bad_html else f"<b>News</b> {n}"
            ),
        )
        server.call(configure, chosen)
        engine = create_engine(url)
        bot = Bot(TOKEN, base_url=server.base_url, request=AiohttpRequest(read_timeout=1.0))
        await bot.initialize()
        config = SenderConfig(
            instance="faults",
            batch_size=1000,
            poll_interval=0.05,
            limits=Limits(paid_broadcast=True, paid_rate=1000),
            max_attempts=5,
            backoff_base=0.2,
            backoff_max=2.0,
        )
        sender = Sender(bot=bot, sessionmaker=create_sessionmaker(engine), config=config)
        started = time.perf_counter()
        task = asyncio.create_task(sender.run())

        async def drained() -> bool:
            counts = await status_counts(url)
            return not any(counts.get(status) for status in UNFINISHED)

        finished = await wait_until(drained, timeout=600, step=0.5)
        sender.stop()
        await task
        elapsed = time.perf_counter() - started
        await bot.shutdown()
        await engine.dispose()
        received = server.call(received_per_chat)
        injected = server.call(fault_counts)
        accounted = await account(url)
    ends = accounted["ends"]
    not_received = sum(1 for chat in accounted["sent_to"] if not received.get(chat))
    return {
        "bench": "faults",
        "messages": PRIVATE + GROUPS,
        "injected": injected,
        "fault_rates": RATES,
        "standing_faults": {name: len(chats) for name, chats in chosen.items()},
        "ends": ends,
        "not_sent_by_code": accounted["codes"],
        "sent_but_not_received": not_received,
        "migrations_followed": sender.stats.migrations,
        "floods_waited": sender.stats.floods,
        "retries": sender.stats.retried,
        "seconds": round(elapsed, 1),
        "achieved_msg_per_s": round((PRIVATE + GROUPS) / elapsed, 1),
        "peak_memory_mb": peak_memory_mb(),
        "targets_met": finished and ends["unaccounted"] == 0 and not_received == 0,
    }


if __name__ == "__main__":
    summary = asyncio.run(main())
    print(json.dumps(summary), flush=True)
    sys.exit(0 if summary["targets_met"] else 1)
