"""Shared bench plumbing: the fake Bot API in its own process, seeded databases, window counts."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import time
import uuid
from bisect import bisect_left
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select

from bot.fakeapi import FakeBotAPI, FakeBotAPIServer
from digests import migrate
from digests.db import create_engine, create_sessionmaker, session_scope
from digests.delivery.outbox import OutgoingMessage, enqueue
from digests.models import Chat, ChatType, Delivery, DeliveryKind, DeliveryStatus
from tests.conftest import TEST_TOKEN

TOKEN = TEST_TOKEN
SEND_METHODS = ("sendmessage", "sendphoto", "editmessagetext", "deletemessage")


def _serve(connection: Any) -> None:
    """The child process: a FakeBotAPIServer on loopback, driven by (function, args) messages."""
    api = FakeBotAPI()
    server = FakeBotAPIServer(api, token=TOKEN, hang_seconds=3.0).start_in_thread()
    connection.send(server.base_url)
    while True:
        message = connection.recv()
        if message is None:
            server.stop()
            connection.send(None)
            return
        function, args = message
        connection.send(function(api, *args))


class FakeServerProcess:
    """The fake Bot API in a separate process, so it does not share a core with the sender."""

    def __enter__(self) -> FakeServerProcess:
        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), daemon=True)
        self._process.start()
        self.base_url: str = self._connection.recv()
        return self

    def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run `function(api, *args)` in the server process (module-level functions only)."""
        self._connection.send((function, args))
        return self._connection.recv()

    def __exit__(self, *exc: object) -> None:
        self._connection.send(None)
        self._connection.recv()
        self._process.join(10)


def send_calls(api: FakeBotAPI) -> list[tuple[float, Any, bool]]:
    """(monotonic time, chat id, answered ok) for every sending call the fake saw."""
    return [
        (call.at, call.params.get("chat_id"), bool(call.response and call.response.get("ok")))
        for call in list(api.calls)
        if call.method.lower() in SEND_METHODS
    ]


def most_arrived_in_one_second(api: FakeBotAPI) -> int:
    """The most message calls the fake received in any 1-second window (sliding)."""
    return api.most_in_any_window(1.0)


def received_per_chat(api: FakeBotAPI) -> dict[int, int]:
    """How many messages each chat received (successful sends only)."""
    counts: dict[int, int] = {}
    for record in api.sent_messages():
        counts[record["chat_id"]] = counts.get(record["chat_id"], 0) + 1
    return counts


def clear_calls(api: FakeBotAPI) -> None:
    """Forget recorded calls between runs."""
    api.clear_calls()


def most_in_window(times: Iterable[float], window: float = 1.0) -> int:
    """The most events in any half-open window [t, t + window)."""
    ordered = sorted(times)
    return max((bisect_left(ordered, t + window) - i for i, t in enumerate(ordered)), default=0)


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


async def fresh_database(directory: str, name: str) -> str:
    """A migrated SQLite database file; returns its URL."""
    url = f"sqlite:///{directory}/{name}.sqlite3"
    await asyncio.to_thread(migrate.upgrade, url)  # Alembic runs its own event loop
    return url


async def seed(
    url: str,
    chats: list[tuple[int, ChatType]],
    parts: Callable[[int], int],
    *,
    ref: str,
    text: Callable[[int, int], str] = lambda n, part: f"<b>News</b> {n}.{part}",
) -> list[int]:
    """Insert chats and queue `parts(n)` messages for the n-th; returns the chat row ids."""
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    now = datetime.now(UTC)
    try:
        async with session_scope(sessionmaker) as session:
            rows = [
                {
                    "telegram_id": telegram_id,
                    "type": chat_type,
                    "created_at": now,
                    "updated_at": now,
                    "digest_times": ["08:00"],
                }
                for telegram_id, chat_type in chats
            ]
            for start in range(0, len(rows), 500):
                await session.execute(insert(Chat), rows[start : start + 500])
            ids = list((await session.scalars(select(Chat.id).order_by(Chat.id))).all())
            messages = [
                OutgoingMessage(
                    chat_id=chat_id,
                    kind=DeliveryKind.DIGEST,
                    ref=ref,
                    part=part,
                    payload={"text": text(n, part), "parse_mode": "HTML"},
                )
                for n, chat_id in enumerate(ids[-len(chats) :])
                for part in range(parts(n))
            ]
            await enqueue(session=session, messages=messages, now=now)
        return ids[-len(chats) :]
    finally:
        await engine.dispose()


async def status_counts(url: str) -> dict[str, int]:
    """Outbox rows by status."""
    engine = create_engine(url)
    try:
        async with session_scope(create_sessionmaker(engine)) as session:
            result = await session.execute(
                select(Delivery.status, func.count()).group_by(Delivery.status)
            )
            return {status.value: count for status, count in result}
    finally:
        await engine.dispose()


async def wait_until(condition: Callable[[], Any], *, timeout: float, step: float = 0.05) -> bool:
    """Poll `condition` (sync or async) until true or `timeout`; returns whether it came true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return True
        await asyncio.sleep(step)
    return False


DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_server(url: str | None = None) -> str | None:
    """The PostgreSQL server a bench may create scratch databases on: `url`, else
    NEWSBOT_BENCH_POSTGRES_URL, else NEWSBOT_TEST_POSTGRES_URL; None when none is set."""
    return (
        url
        or os.environ.get("NEWSBOT_BENCH_POSTGRES_URL")
        or os.environ.get("NEWSBOT_TEST_POSTGRES_URL")
    )


def scratch_postgres(server: str, *, template: str | None = None) -> Any:
    """A new database on `server`, migrated (or a copy of the database named `template`);
    returns a tests.databases.PostgresDatabase, whose drop() removes it."""
    from tests.databases import PostgresDatabase

    database = PostgresDatabase(server)
    database.name = f"newsbot_bench_{uuid.uuid4().hex[:8]}"
    database.url = database.url.rsplit("/", 1)[0] + "/" + database.name
    if template is None:
        database.create()
    else:
        database.copy_of(template)
    return database


def load_average() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages (benches share it)."""
    return [round(value, 2) for value in os.getloadavg()]


UNFINISHED = (DeliveryStatus.PENDING.value, DeliveryStatus.SENDING.value)
