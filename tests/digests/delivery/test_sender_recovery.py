"""Crash safety and order: claims left by a crash, graceful stops, parts that stay in order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot.fakeapi import Delay, FakeBotAPI, ServerError
from digests.db import session_scope
from digests.delivery.sender.claims import claim_due_deliveries
from digests.leases import hold_lease, instance_lease
from digests.models import Delivery, DeliveryStatus
from tests.digests.delivery.sending import add_chats, drain, make_sender, queue, rows


async def test_start_up_resends_its_own_and_gone_instances_rows_never_a_live_peers(sessionmaker):
    api = FakeBotAPI()
    mine, theirs, gone, expired = await add_chats(sessionmaker, [21, 22, 23, 24])
    for chat_id in (mine, theirs, gone, expired):
        await queue(sessionmaker, chat_id, f"to {chat_id}")
    now = datetime.now(UTC)
    async with session_scope(sessionmaker) as session:  # as a crash would leave them
        for chat_id, instance in (
            (mine, "test:send"),
            (theirs, "live:send"),
            (gone, "gone:send"),  # never held a lease (or it was deleted)
            (expired, "dead:send"),
        ):
            await session.execute(
                update(Delivery)
                .where(Delivery.chat_id == chat_id)
                .values(status=DeliveryStatus.SENDING, claimed_by=instance, claimed_at=now)
            )
        # The live peer claimed a moment ago and renews its lease; the dead one stopped.
        await hold_lease(
            session=session, name=instance_lease("live:send"), owner="p1", seconds=60, now=now
        )
        await hold_lease(
            session=session,
            name=instance_lease("dead:send"),
            owner="p2",
            seconds=20,
            now=now - timedelta(seconds=30),
        )
    sender = make_sender(api, sessionmaker)
    await sender.bot.initialize()
    task = asyncio.create_task(sender.run())
    for telegram_id in (21, 23, 24):
        await api.wait_for_message(chat_id=telegram_id, timeout=5)
    sender.stop()
    await task

    assert sender.stats.recovered == 3
    by_chat = {row.chat_id: row for row in await rows(sessionmaker)}
    assert by_chat[theirs].status is DeliveryStatus.SENDING  # a live instance's: not touched
    assert api.sent_messages(22) == []


async def test_a_graceful_stop_finishes_in_flight_and_releases_the_rest(sessionmaker):
    api = FakeBotAPI()
    chats = await add_chats(sessionmaker, range(31, 41))
    for chat_id in chats:
        await queue(sessionmaker, chat_id, "hello")
    sender = make_sender(api, sessionmaker, concurrency=1)
    await sender.bot.initialize()
    api.fail_next(1, Delay(0.3), method="sendMessage")
    task = asyncio.create_task(sender.run())
    while not api.calls_to("sendMessage"):  # noqa: ASYNC110 - the fake has no in-flight event
        await asyncio.sleep(0.005)
    sender.stop()
    await task

    statuses = [row.status for row in await rows(sessionmaker)]
    assert statuses[0] is DeliveryStatus.SENT  # the request in flight finished and was recorded
    assert set(statuses[1:]) == {DeliveryStatus.PENDING}  # the rest went back, unsent
    assert len(api.sent_messages()) == 1


async def test_parts_stay_in_order_when_one_is_retried(sessionmaker):
    api = FakeBotAPI()
    [reader] = await add_chats(sessionmaker, [51])
    for part in range(3):
        await queue(sessionmaker, reader, f"part {part}", part=part)
    api.fail_next(2, ServerError(500), chat_id=51)

    await drain(make_sender(api, sessionmaker, batch_size=1), sessionmaker)

    assert [m["text"] for m in api.sent_messages(51)] == ["part 0", "part 1", "part 2"]


async def test_claims_take_the_most_urgent_rows_and_never_one_twice(sessionmaker):
    chats = await add_chats(sessionmaker, range(61, 71))
    for n, chat_id in enumerate(chats):
        await queue(sessionmaker, chat_id, "x", priority=30 - n)
    now = datetime.now(UTC) + timedelta(seconds=1)

    async def claim(instance):
        async with session_scope(sessionmaker) as session:
            return await claim_due_deliveries(session=session, instance=instance, limit=4, now=now)

    first, second = await claim("a"), await claim("b")

    assert [row.priority for row in first] == [21, 22, 23, 24]
    assert [row.priority for row in second] == [25, 26, 27, 28]
    assert first[0].telegram_id == 70 and first[0].chat_type.value == "private"
