"""Queueing into the outbox: rows as the sender will read them, never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from digests.db import session_scope
from digests.delivery.outbox import OutgoingMessage, enqueue
from digests.models import ChatType, Delivery, DeliveryKind, DeliveryStatus, Priority
from digests.readers.chats import ChatInfo, register_chat

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


async def _chat_ids(sessionmaker, count):
    ids = []
    async with session_scope(sessionmaker) as session:
        for n in range(count):
            info = ChatInfo(telegram_id=1000 + n, type=ChatType.PRIVATE)
            registration = await register_chat(
                session=session, info=info, language="en", timezone="UTC", now=NOW
            )
            ids.append(registration.chat.id)
    return ids


async def test_enqueue_stores_pending_rows_and_ignores_repeats(sessionmaker):
    [first, second] = await _chat_ids(sessionmaker, 2)
    messages = [
        OutgoingMessage(
            chat_id=chat,
            kind=DeliveryKind.DIGEST,
            ref="e1",
            part=part,
            payload={"text": f"part {part}"},
        )
        for chat in (first, second)
        for part in (0, 1)
    ]
    later = NOW + timedelta(hours=1)
    async with session_scope(sessionmaker) as session:
        await enqueue(session=session, messages=messages, now=NOW)
    async with session_scope(sessionmaker) as session:
        # A restart re-queues the same edition: nothing is added, nothing is changed.
        await enqueue(
            session=session,
            messages=messages[:1]
            + [
                OutgoingMessage(
                    chat_id=first,
                    kind=DeliveryKind.ALERT,
                    ref="a1",
                    payload={"text": "Breaking"},
                    priority=Priority.ALERT,
                    not_before=later,
                )
            ],
            now=later,
        )
    async with session_scope(sessionmaker) as session:
        rows = (await session.scalars(select(Delivery).order_by(Delivery.id))).all()
    assert [(r.chat_id, r.kind, r.part, r.payload["text"]) for r in rows] == [
        (first, DeliveryKind.DIGEST, 0, "part 0"),
        (first, DeliveryKind.DIGEST, 1, "part 1"),
        (second, DeliveryKind.DIGEST, 0, "part 0"),
        (second, DeliveryKind.DIGEST, 1, "part 1"),
        (first, DeliveryKind.ALERT, 0, "Breaking"),
    ]
    assert {r.status for r in rows} == {DeliveryStatus.PENDING}
    assert rows[0].next_attempt_at == NOW and rows[-1].next_attempt_at == later
    assert rows[-1].priority == Priority.ALERT < rows[0].priority


async def test_enqueue_handles_more_rows_than_one_statement_takes(sessionmaker):
    [chat] = await _chat_ids(sessionmaker, 1)
    messages = [
        OutgoingMessage(chat_id=chat, kind=DeliveryKind.REPLY, ref=f"r{n}", payload={"text": "x"})
        for n in range(2500)
    ]
    async with session_scope(sessionmaker) as session:
        await enqueue(session=session, messages=messages, now=NOW)
    async with session_scope(sessionmaker) as session:
        count = len((await session.scalars(select(Delivery.id))).all())
    assert count == 2500
