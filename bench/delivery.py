"""Delivery bench: the whole pipeline (claim, send, record) against the loopback fake Bot API.

1. At the default 30/s limit: achieved rate / limit, the most messages in any one-second window
   overall and to any one private chat (digests of 3 parts exercise the per-chat limit).
2. Paid broadcasts: pipeline capacity with the limit lifted, aiohttp transport vs stock PTB
   HTTPXRequest (the baseline, same run); and at the 1000/s paid limit, achieved and kept.

Run from the repository root: `python -m bench.delivery` (about two minutes).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from typing import Any

from telegram import Bot
from telegram.request import HTTPXRequest

from bench.common import (
    TOKEN,
    FakeServerProcess,
    clear_calls,
    fresh_database,
    most_arrived_in_one_second,
    most_in_window,
    peak_memory_mb,
    seed,
    send_calls,
    status_counts,
    wait_until,
)
from bot.request import AiohttpRequest
from digests.db import create_engine, create_sessionmaker
from digests.delivery.sender import Limits, Sender, SenderConfig
from digests.models import ChatType

CONCURRENCY = 100  # the default SENDER_CONCURRENCY


async def pipeline(
    url: str,
    base_url: str,
    *,
    limits: Limits,
    transport: str,
    batch: int,
    expected: int,
    concurrency: int = CONCURRENCY,
    dispatched: list[float] | None = None,
) -> float:
    """Run a sender until `expected` rows are recorded; returns the seconds it took."""
    if transport == "aiohttp":
        request: Any = AiohttpRequest(connection_pool_size=concurrency + 4)
    else:
        request = HTTPXRequest(connection_pool_size=concurrency + 4)
    engine = create_engine(url)
    bot = Bot(TOKEN, base_url=base_url, request=request)
    await bot.initialize()
    config = SenderConfig(
        instance="bench",
        limits=limits,
        batch_size=batch,
        concurrency=concurrency,
        poll_interval=0.05,
    )
    sender = Sender(bot=bot, sessionmaker=create_sessionmaker(engine), config=config)
    if dispatched is not None:  # when the sender let each request go, as its pacer saw it
        take = sender.pacer.take_overall

        def recording_take(now: float) -> None:
            dispatched.append(now)
            take(now)

        sender.pacer.take_overall = recording_take  # type: ignore[method-assign]
    started = time.perf_counter()
    task = asyncio.create_task(sender.run())
    stats = sender.stats
    done = await wait_until(
        lambda: stats.sent + stats.failed + stats.cancelled >= expected and not sender.in_flight,
        timeout=600,
        step=0.01,
    )
    sender.stop()
    await task  # the final flush: every outcome is in the database when this returns
    elapsed = time.perf_counter() - started
    await bot.shutdown()
    await engine.dispose()
    if not done:
        raise RuntimeError(f"{transport}: the outbox did not drain: {stats}")
    return elapsed


async def limited_run(directory: str, server: FakeServerProcess) -> dict[str, Any]:
    """390 messages at 30/s: 300 single messages and 30 three-part digests to private chats."""
    chats = [(10_000 + n, ChatType.PRIVATE) for n in range(330)]
    url = await fresh_database(directory, "limit30")
    await seed(url, chats, parts=lambda n: 3 if n >= 300 else 1, ref="limit30")
    server.call(clear_calls)
    elapsed = await pipeline(
        url, server.base_url, limits=Limits(rate=30), transport="aiohttp", batch=100, expected=390
    )
    calls = [call for call in server.call(send_calls) if call[2]]
    times = [at for at, _, _ in calls]
    by_chat: dict[int, list[float]] = defaultdict(list)
    for at, chat_id, _ in calls:
        by_chat[chat_id].append(at)
    achieved = (len(times) - 1) / (max(times) - min(times))
    return {
        "limit_per_s": 30,
        "messages": len(times),
        "achieved_per_s": round(achieved, 2),
        "achieved_over_limit": round(achieved / 30, 3),
        "max_in_any_1s_window": most_in_window(times),
        "max_per_private_chat_in_any_1s_window": max(most_in_window(t) for t in by_chat.values()),
        "pipeline_seconds": round(elapsed, 2),
        "statuses": await status_counts(url),
    }


async def paid_run(
    directory: str,
    server: FakeServerProcess,
    name: str,
    *,
    transport: str,
    paid_rate: float,
    messages: int,
    offset: int,
    concurrency: int = CONCURRENCY,
) -> dict[str, Any]:
    """`messages` single messages to as many private chats in paid-broadcast mode."""
    chats = [(offset + n, ChatType.PRIVATE) for n in range(messages)]
    url = await fresh_database(directory, name)
    await seed(url, chats, parts=lambda n: 1, ref=name)
    server.call(clear_calls)
    limits = Limits(paid_broadcast=True, paid_rate=paid_rate)
    dispatched: list[float] = []
    elapsed = await pipeline(
        url,
        server.base_url,
        limits=limits,
        transport=transport,
        batch=1000,
        expected=messages,
        concurrency=concurrency,
        dispatched=dispatched,
    )
    times = [at for at, _, ok in server.call(send_calls) if ok]
    statuses = await status_counts(url)
    return {
        "transport": transport,
        "messages": messages,
        "pipeline_msg_per_s": round(messages / elapsed, 1),
        # The rate Telegram would see: first to last arrival at the fake.
        "arrival_msg_per_s": round((len(times) - 1) / (max(times) - min(times)), 1),
        "max_in_any_1s_window": server.call(most_arrived_in_one_second),
        "max_dispatched_in_any_1s_window": most_in_window(dispatched),
        "all_sent": statuses == {"sent": messages},
    }


async def main() -> dict[str, Any]:
    """All runs; one JSON-ready summary."""
    with tempfile.TemporaryDirectory() as directory, FakeServerProcess() as server:
        limited = await limited_run(directory, server)
        capacity: dict[str, list[float]] = {"aiohttp": [], "httpx": []}
        runs = []
        for round_ in range(3):  # alternate, so machine noise hits both transports alike
            for transport in ("aiohttp", "httpx"):
                result = await paid_run(
                    directory,
                    server,
                    f"cap-{transport}-{round_}",
                    transport=transport,
                    paid_rate=1_000_000,
                    messages=5000,
                    offset=1_000_000 * (len(runs) + 1),
                )
                capacity[transport].append(result["pipeline_msg_per_s"])
                runs.append(result)
        httpx_low = await paid_run(
            directory,
            server,
            "httpx-10",
            transport="httpx",
            paid_rate=1_000_000,
            messages=3000,
            offset=40_000_000,
            concurrency=10,
        )
        capped = await paid_run(
            directory,
            server,
            "paid-1000",
            transport="aiohttp",
            paid_rate=1000,
            messages=10_000,
            offset=50_000_000,
        )
    aiohttp_median = statistics.median(capacity["aiohttp"])
    httpx_median = statistics.median(capacity["httpx"])
    return {
        "bench": "delivery",
        "database": "sqlite",
        "at_30_per_s": limited,
        "paid_capacity_msg_per_s": {
            "aiohttp_median": aiohttp_median,
            "httpx_baseline_median": httpx_median,
            "ratio": round(aiohttp_median / httpx_median, 2),
            "httpx_at_concurrency_10": httpx_low["pipeline_msg_per_s"],
            "ratio_to_httpx_at_its_best": round(
                aiohttp_median / httpx_low["pipeline_msg_per_s"], 2
            ),
            "runs": capacity,
            "all_sent": all(run["all_sent"] for run in runs),
            "target": 1000,
            "met": aiohttp_median >= 1000,
        },
        "paid_at_1000_limit": {
            "achieved_msg_per_s": capped["arrival_msg_per_s"],
            "achieved_over_cap": round(capped["arrival_msg_per_s"] / 1000, 3),
            "pipeline_msg_per_s": capped["pipeline_msg_per_s"],
            "max_dispatched_in_any_1s_window": capped["max_dispatched_in_any_1s_window"],
            "max_received_in_any_1s_window": capped["max_in_any_1s_window"],
            "all_sent": capped["all_sent"],
        },
        "targets_met": limited["achieved_over_limit"] >= 0.95
        and limited["max_in_any_1s_window"] <= 30
        and limited["max_per_private_chat_in_any_1s_window"] <= 1
        and aiohttp_median >= 1000
        and capped["arrival_msg_per_s"] >= 0.95 * 1000
        and capped["max_in_any_1s_window"] <= 1000,
        "peak_memory_mb": peak_memory_mb(),
    }


if __name__ == "__main__":
    summary = asyncio.run(main())
    print(json.dumps(summary), flush=True)
    sys.exit(0 if summary["targets_met"] else 1)
