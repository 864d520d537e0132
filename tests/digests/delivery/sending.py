"""Helpers for sender tests: chats, queued messages, and a sender run until the outbox drains."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.fakeapi import FakeBotAPI, bot_for
from digests.db import session_scope
from digests.delivery.outbox import OutgoingMessage, enqueue
from digests.delivery.sender import Limits, Sender, SenderConfig
from digests.models import Chat, ChatType, Delivery, DeliveryKind, DeliveryStatus, Priority
from digests.readers.chats import ChatInfo, register_chat

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
FAST = Limits(rate=500, chat_interval=0.0, group_per_minute=1000)


async def add_chats(sessionmaker, telegram_ids, chat_type=ChatType.PRIVATE) -> list[int]:
    """Register chats; returns their row ids."""
    ids = []
    async with session_scope(sessionmaker) as session:
        for telegram_id in telegram_ids:
            info = ChatInfo(telegram_id=telegram_id, type=chat_type)
            registration = await register_chat(
                session=session, info=info, language="en", timezone="UTC", now=NOW
            )
            ids.append(registration.chat.id)
    return ids


async def queue(
    sessionmaker,
    chat_id,
    text,
    *,
    ref="e1",
    part=0,
    kind=DeliveryKind.DIGEST,
    priority=Priority.DIGEST,
    method="sendMessage",
    **payload,
) -> None:
    """Queue one message (HTML parse mode unless the payload says otherwise)."""
    body = {"text": text, "parse_mode": "HTML", **payload} if text is not None else payload
    message = OutgoingMessage(
        chat_id=chat_id,
        kind=kind,
        ref=ref,
        part=part,
        payload=body,
        priority=priority,
        method=method,
    )
    async with session_scope(sessionmaker) as session:
        await enqueue(session=session, messages=[message], now=datetime.now(UTC))


class SimulatedClock:
    """The sender's time in a test: it moves only when the sender waits, and at once.

    Like the pacer tests' clock, but driving the whole send loop: a wait for a limit or a
    429 returns immediately, with the clock moved on by exactly the time waited.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of simulated time."""
        self.now += seconds
        await asyncio.sleep(0)


def make_sender(
    api: FakeBotAPI, sessionmaker, *, clock: SimulatedClock | None = None, **overrides
) -> Sender:
    """A sender on the recording fake with fast limits and short backoff."""
    timing = {} if clock is None else {"clock": clock, "sleep": clock.sleep}
    options = dict(
        instance="test:send",
        limits=FAST,
        backoff_base=0.01,
        backoff_max=0.05,
        poll_interval=0.02,
        flush_interval=0.01,
    )
    options.update(overrides)
    config = SenderConfig(**options)
    return Sender(bot=bot_for(api), sessionmaker=sessionmaker, config=config, **timing)


async def unfinished(sessionmaker) -> int:
    """Rows still pending or sending."""
    async with session_scope(sessionmaker) as session:
        return await session.scalar(
            select(func.count()).where(
                Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING])
            )
        )


async def drain(sender: Sender, sessionmaker, *, timeout: float = 10.0) -> None:
    """Run the sender until nothing is pending or sending, then stop it."""
    await sender.bot.initialize()
    task = asyncio.create_task(sender.run())
    deadline = time.monotonic() + timeout
    try:
        while await unfinished(sessionmaker) and time.monotonic() < deadline:
            assert not task.done(), task.exception()
            await asyncio.sleep(0.02)
    finally:
        sender.stop()
        await task
        await sender.bot.shutdown()
    assert await unfinished(sessionmaker) == 0, "the outbox did not drain in time"


async def rows(sessionmaker) -> list[Delivery]:
    """All outbox rows, oldest first."""
    async with session_scope(sessionmaker) as session:
        return list((await session.scalars(select(Delivery).order_by(Delivery.id))).all())


async def chat(sessionmaker, chat_id) -> Chat:
    """One chat row."""
    async with session_scope(sessionmaker) as session:
        return await session.get(Chat, chat_id)
