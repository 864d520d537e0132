"""Crash bench: a 5,000-chat broadcast while the sender process is SIGKILLed and restarted.

The fake Bot API runs in its own process; `python -m bot send` runs as a subprocess on a
SQLite file and is killed at random moments (at least 10 times), then left to finish.
Reports chats that received the message, lost (must be 0) and duplicated (bounded by what
was in flight at each kill). Run from the repository root: `python -m bench.crash`.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sys
import tempfile
import time
from typing import Any

from bench.common import (
    TOKEN,
    UNFINISHED,
    FakeServerProcess,
    fresh_database,
    received_per_chat,
    seed,
    status_counts,
)
from digests.models import ChatType

CHATS = 5000
KILLS = 10
RATE = 200  # paid-broadcast mode at 200/s: the broadcast lasts long enough to be killed often
CONCURRENCY = 100
FLUSH_INTERVAL = 0.05


def sender_environment(base_url: str, database_url: str) -> dict[str, str]:
    """The environment of the sending worker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SENDER_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=base_url,
        DATABASE_URL=database_url,
        SENDER_INSTANCE_ID="crash-bench",
        SENDER_PAID_BROADCAST="true",
        SENDER_PAID_RATE=str(RATE),
        SENDER_CONCURRENCY=str(CONCURRENCY),
        SENDER_POLL_INTERVAL="0.2",
        LOG_LEVEL="WARNING",
    )
    return env


async def start(env: dict[str, str], directory: str) -> asyncio.subprocess.Process:
    """Start `python -m bot send`."""
    log = open(os.path.join(directory, "send.log"), "ab")  # noqa: SIM115, ASYNC230 - tiny, once
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "send",
        env=env,
        cwd=os.getcwd(),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=log,
        stderr=log,
    )


async def main(seed_value: int = 5) -> dict[str, Any]:
    """Broadcast, kill, restart, finish; count what each chat received."""
    rng = random.Random(seed_value)
    with tempfile.TemporaryDirectory() as directory, FakeServerProcess() as server:
        url = await fresh_database(directory, "crash")
        await seed(
            url,
            [(100_000 + n, ChatType.PRIVATE) for n in range(CHATS)],
            parts=lambda n: 1,
            ref="broadcast",
        )
        env = sender_environment(server.base_url, url)
        started = time.monotonic()
        kills = 0
        while kills < KILLS:
            process = await start(env, directory)
            await asyncio.sleep(rng.uniform(1.0, 3.0))  # start-up takes about a second
            process.send_signal(signal.SIGKILL)
            await process.wait()
            kills += 1
        process = await start(env, directory)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            counts = await status_counts(url)
            if not any(counts.get(status) for status in UNFINISHED):
                break
            await asyncio.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        exit_code = await asyncio.wait_for(process.wait(), 30)
        elapsed = time.monotonic() - started
        received = server.call(received_per_chat)
        statuses = await status_counts(url)
    expected = range(100_000, 100_000 + CHATS)
    duplicates = sum(max(received.get(chat, 0) - 1, 0) for chat in expected)
    per_kill_bound = CONCURRENCY + int(RATE * FLUSH_INTERVAL * 2)
    return {
        "bench": "crash",
        "chats": CHATS,
        "kills": kills,
        "received": sum(1 for chat in expected if received.get(chat)),
        "lost": sum(1 for chat in expected if not received.get(chat)),
        "duplicated_chats": sum(1 for chat in expected if received.get(chat, 0) > 1),
        "duplicate_messages": duplicates,
        "duplicate_bound": kills * per_kill_bound,
        "bound_per_kill": f"requests in flight ({CONCURRENCY}) + outcomes not yet written",
        "statuses": statuses,
        "clean_exit_after_sigterm": exit_code == 0,
        "seconds": round(elapsed, 1),
        "targets_met": kills >= KILLS
        and all(received.get(chat) for chat in expected)
        and duplicates <= kills * per_kill_bound
        and statuses == {"sent": CHATS},
    }


if __name__ == "__main__":
    summary = asyncio.run(main())
    print(json.dumps(summary), flush=True)
    sys.exit(0 if summary["targets_met"] else 1)
