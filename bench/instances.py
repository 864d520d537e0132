"""Several processes, one bot: two `newsbot send` and one `newsbot run` on one PostgreSQL database.

An alert to 3,000 readers is queued and 2,000 other readers' digests fall due (the `run`
process builds them); all three processes send, against the loopback fake Bot API in its own
process, which counts what arrives. Prints one JSON object last: messages queued, lost (not
received) and duplicated (received twice), the bot's limit and the most the fake received in
any 1-second window (sliding), per-instance shares and the rate achieved.

    python -m bench.instances [--alert 3000] [--digests 2000] [--rate 30]

Needs a PostgreSQL server it may create a database on: NEWSBOT_BENCH_POSTGRES_URL, else
NEWSBOT_TEST_POSTGRES_URL, else postgresql://postgres@127.0.0.1:5432/postgres.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import func, insert, select

from bench.common import TOKEN, FakeServerProcess, clear_calls, most_arrived_in_one_second
from digests import migrate
from digests.db import create_engine, create_sessionmaker, session_scope
from digests.delivery.outbox import OutgoingMessage, enqueue
from digests.ingest.catalog import load_catalog, sync_catalog
from digests.models import (
    Article,
    ArticleTopic,
    Chat,
    ChatType,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Priority,
    Subscription,
    Topic,
)
from digests.resources import default_config_path

ALERT_REF = "bench-alert"


def received(api: Any) -> list[tuple[int, str]]:
    """(chat id, text) of every message the fake delivered (in the server process)."""
    return [(m["chat_id"], m.get("text") or "") for m in api.sent_messages()]


def arrival_span(api: Any) -> float:
    """Seconds between the first and the last message call that arrived."""
    times = [call.at for call in api.calls if call.method.lower().startswith("send")]
    return max(times) - min(times) if len(times) > 1 else 0.0


def _server_url() -> str:
    for name in ("NEWSBOT_BENCH_POSTGRES_URL", "NEWSBOT_TEST_POSTGRES_URL"):
        if os.environ.get(name):
            return os.environ[name]
    return "postgresql://postgres@127.0.0.1:5432/postgres"


async def _admin(server: str, sql: str) -> None:
    connection = await asyncpg.connect(server.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def seed(url: str, *, alert: int, digests: int) -> int:
    """Readers, an alert queued to `alert` of them, digests due for `digests` others."""
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    now = datetime.now(UTC)
    try:
        async with session_scope(sessionmaker) as session:
            await sync_catalog(session=session, catalog=load_catalog(default_config_path()))
        async with session_scope(sessionmaker) as session:
            topic = await session.scalar(select(Topic.id).where(Topic.slug == "world"))
            chats = [
                {
                    "telegram_id": 100_000 + n,
                    "type": ChatType.PRIVATE,
                    "digest_times": ["08:00"],
                    "next_digest_at": now - timedelta(minutes=5) if n >= alert else None,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(alert + digests)
            ]
            for start in range(0, len(chats), 1000):
                await session.execute(insert(Chat), chats[start : start + 1000])
            ids = list((await session.scalars(select(Chat.id).order_by(Chat.id))).all())
            await session.execute(
                insert(Subscription),
                [{"chat_id": chat_id, "topic_id": topic, "created_at": now} for chat_id in ids],
            )
            await session.execute(
                insert(Article),
                [
                    {
                        "url": f"https://news.example/{n}",
                        "title": f"Story number {n} of the morning",
                        "summary": f"What happened in story {n}, in two sentences. More soon.",
                        "text": "",
                        "content_hash": f"bench-{n}",
                        "categories": [],
                        "published_at": now - timedelta(minutes=30 + n),
                        "fetched_at": now - timedelta(minutes=30 + n),
                        "updated_at": now,
                    }
                    for n in range(12)
                ],
            )
            articles = list((await session.scalars(select(Article.id))).all())
            await session.execute(
                insert(ArticleTopic),
                [{"article_id": a, "topic_id": topic, "score": 1.0} for a in articles],
            )
            await enqueue(
                session=session,
                messages=[
                    OutgoingMessage(
                        chat_id=chat_id,
                        kind=DeliveryKind.ALERT,
                        ref=ALERT_REF,
                        part=0,
                        payload={"text": f"<b>Breaking</b> for reader {n}", "parse_mode": "HTML"},
                        priority=Priority.ALERT,
                    )
                    for n, chat_id in enumerate(ids[:alert])
                ],
                now=now,
            )
        return len(ids)
    finally:
        await engine.dispose()


async def outbox(url: str) -> tuple[dict[str, int], int, dict[str, int]]:
    """Rows by status, chats whose digest is still due, rows sent by each instance."""
    engine = create_engine(url)
    try:
        async with session_scope(create_sessionmaker(engine)) as session:
            statuses = dict(
                (status.value, count)
                for status, count in await session.execute(
                    select(Delivery.status, func.count()).group_by(Delivery.status)
                )
            )
            due = await session.scalar(
                select(func.count()).where(Chat.next_digest_at <= datetime.now(UTC))
            )
            shares = dict(
                (str(by), count)
                for by, count in await session.execute(
                    select(Delivery.claimed_by, func.count())
                    .where(Delivery.status == DeliveryStatus.SENT)
                    .group_by(Delivery.claimed_by)
                )
            )
        return statuses, int(due or 0), shares
    finally:
        await engine.dispose()


async def start(command: str, env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    """`newsbot <command>` as its own process, logging to `log`."""
    with log.open("wb") as out:
        return await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "bot", command),
            cwd=log.parent,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=out,
        )


async def main(args: argparse.Namespace) -> dict[str, Any]:
    """Set up, run the three processes until the outbox drains, count what arrived."""
    server = _server_url()
    name = f"newsbot_bench_{uuid.uuid4().hex[:8]}"
    base = server.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    await _admin(server, f'CREATE DATABASE "{name}"')
    try:
        await asyncio.to_thread(migrate.upgrade, url)
        await seed(url, alert=args.alert, digests=args.digests)
        with tempfile.TemporaryDirectory() as directory, FakeServerProcess() as fake:
            fake.call(clear_calls)
            env = {k: v for k, v in os.environ.items() if not k.startswith(("SENDER_", "DIGEST_"))}
            env.update(
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE_URL=fake.base_url,
                DATABASE_URL=url,
                SENDER_RATE=str(args.rate),
                DIGEST_INTERVAL_SECONDS="2",
                LOG_LEVEL="WARNING",
            )
            commands = ["send", "send", "run"]
            logs = [Path(directory) / f"{n}-{c}.log" for n, c in enumerate(commands)]
            started = time.monotonic()
            processes = [await start(c, env, log) for c, log in zip(commands, logs, strict=True)]
            try:
                while time.monotonic() - started < args.timeout:
                    await asyncio.sleep(1.0)
                    statuses, due, _ = await outbox(url)
                    busy = statuses.get("pending", 0) + statuses.get("sending", 0)
                    if not due and not busy and sum(statuses.values()) > args.alert:
                        break
                    if any(p.returncode is not None for p in processes):
                        break
                elapsed = time.monotonic() - started
                for process in processes:
                    if process.returncode is None:
                        process.send_signal(signal.SIGTERM)
                codes = [await asyncio.wait_for(p.wait(), timeout=30) for p in processes]
            finally:
                for process in processes:
                    if process.returncode is None:
                        process.kill()
            got = Counter(fake.call(received))
            window = fake.call(most_arrived_in_one_second)
            span = fake.call(arrival_span)
            errors = [
                line
                for log in logs
                for line in log.read_text().splitlines()
                if " ERROR " in line or " CRITICAL " in line
            ][:5]
        statuses, due, shares = await outbox(url)
    finally:
        await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    messages = sum(statuses.values())
    lost = messages - len(got)
    duplicates = sum(count - 1 for count in got.values())
    return {
        "bench": "instances",
        "database": "postgresql",
        "instances": {"send": 2, "run": 1},
        "messages": messages,
        "alert_messages": args.alert,
        "digest_chats": args.digests,
        "received": sum(got.values()),
        "lost": lost,
        "duplicates": duplicates,
        "limit_per_s": args.rate,
        "max_in_any_1s_window": window,
        "achieved_per_s": round((sum(got.values()) - 1) / span, 2) if span else None,
        "sent_by_instance": sorted(shares.values(), reverse=True),
        "statuses": statuses,
        "digests_still_due": due,
        "exit_codes": codes,
        "seconds": round(elapsed, 1),
        "errors_logged": errors,
        "targets_met": lost == 0 and duplicates == 0 and window <= args.rate and not due,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alert", type=int, default=3000)
    parser.add_argument("--digests", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=30)
    parser.add_argument("--timeout", type=float, default=1200)
    summary = asyncio.run(main(parser.parse_args()))
    print(json.dumps(summary), flush=True)
    sys.exit(0 if summary["targets_met"] else 1)
