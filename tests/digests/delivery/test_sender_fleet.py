"""Senders among peers: leases, the bot's one rate on PostgreSQL, database errors survived."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text, update

from bot.fakeapi import FakeBotAPI, FloodWait
from digests.db import is_postgres, session_scope
from digests.delivery.sender import Limits
from digests.delivery.sender.claims import claim_due_deliveries
from digests.delivery.sender.fleet import SenderFailed, SenderState
from digests.leases import hold_lease, instance_lease
from digests.models import ChatType, Delivery, DeliveryStatus
from tests.digests.delivery.sending import add_chats, drain, make_sender, queue, rows


class FlakyDatabase:
    """A session factory whose first `failures` sessions fail, as a restarting server's do."""

    def __init__(self, sessionmaker, failures: float) -> None:
        self.sessionmaker = sessionmaker
        self.failures = failures

    def __call__(self):
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionRefusedError("the database is restarting")
        return self.sessionmaker()


async def test_start_up_survives_a_database_that_is_not_there_yet(sessionmaker, caplog):
    api = FakeBotAPI()
    [reader] = await add_chats(sessionmaker, [801])
    await queue(sessionmaker, reader, "after the restart")
    sender = make_sender(api, FlakyDatabase(sessionmaker, failures=2))

    with caplog.at_level(logging.ERROR):
        await drain(sender, sessionmaker)

    assert [m["text"] for m in api.sent_messages(801)] == ["after the restart"]
    assert "taking the instance lease failed (retrying" in caplog.text
    assert sender.fleet.state is SenderState.STOPPED


async def test_a_sender_without_a_database_for_too_long_fails_loudly(sessionmaker):
    sender = make_sender(
        FakeBotAPI(), FlakyDatabase(sessionmaker, failures=float("inf")), give_up_after=1.0
    )
    await sender.bot.initialize()

    with pytest.raises(SenderFailed, match="no database for"):
        await asyncio.wait_for(sender.run(), timeout=10)

    assert sender.fleet.state is SenderState.FAILED and not sender.healthy


async def test_a_running_sender_reports_healthy_until_stopped(sessionmaker):
    sender = make_sender(FakeBotAPI(), sessionmaker)
    await sender.bot.initialize()
    assert not sender.healthy  # starting
    task = asyncio.create_task(sender.run())
    for _ in range(100):
        if sender.healthy:
            break
        await asyncio.sleep(0.02)
    assert sender.healthy and sender.fleet.state is SenderState.RUNNING
    sender.stop()
    await task
    assert not sender.healthy and sender.fleet.state is SenderState.STOPPED


async def test_a_live_process_with_the_same_instance_id_is_refused(sessionmaker):
    async with session_scope(sessionmaker) as session:
        await hold_lease(
            session=session,
            name=instance_lease("twin:send"),
            owner="another",
            seconds=60,
            now=datetime.now(UTC),
        )
    sender = make_sender(FakeBotAPI(), sessionmaker, instance="twin:send", lease_seconds=0.2)

    with pytest.raises(SenderFailed, match="in use by a live process"):
        await asyncio.wait_for(sender.run(), timeout=10)


async def test_a_crashed_peers_rows_come_back_while_running(sessionmaker):
    api = FakeBotAPI()
    [reader] = await add_chats(sessionmaker, [811])
    await queue(sessionmaker, reader, "held by a process that died")
    now = datetime.now(UTC)
    async with session_scope(sessionmaker) as session:
        await session.execute(
            update(Delivery).values(
                status=DeliveryStatus.SENDING, claimed_by="dead:send", claimed_at=now
            )
        )
        await hold_lease(
            session=session, name=instance_lease("dead:send"), owner="gone", seconds=0.5, now=now
        )
    sender = make_sender(api, sessionmaker, lease_seconds=0.4)  # renews and looks every 0.1 s
    await sender.bot.initialize()
    task = asyncio.create_task(sender.run())

    message = await api.wait_for_message(chat_id=811, timeout=5)
    sender.stop()
    await task
    assert message["text"] == "held by a process that died"
    assert sender.stats.recovered == 0  # not at start-up: the lease was live then


async def test_on_postgresql_a_chat_stays_with_the_instance_that_last_sent_to_it(sessionmaker):
    if not is_postgres(sessionmaker.kw["bind"]):
        pytest.skip("one process on SQLite: no other instance to hand a chat over to")
    group, reader = await add_chats(sessionmaker, [-820], ChatType.GROUP) + await add_chats(
        sessionmaker, [821]
    )
    for chat_id in (group, reader):
        await queue(sessionmaker, chat_id, "first", ref="one")
        await queue(sessionmaker, chat_id, "second", ref="two")
    now = datetime.now(UTC)
    async with session_scope(sessionmaker) as session:  # A sent the first ones just now
        await session.execute(
            update(Delivery)
            .where(Delivery.ref == "one")
            .values(
                status=DeliveryStatus.SENT, claimed_by="a", sent_at=now - timedelta(seconds=0.5)
            )
        )

    async def claimed(instance, at):
        async with session_scope(sessionmaker) as session:
            found = await claim_due_deliveries(session=session, instance=instance, limit=10, now=at)
            await session.rollback()
        return {row.chat_id for row in found}

    assert await claimed("b", now) == set()  # B would break 1/s and 20/min: it waits
    assert await claimed("a", now) == {group, reader}  # A knows what it sent
    assert await claimed("b", now + timedelta(seconds=1.1)) == {reader}
    assert await claimed("b", now + timedelta(seconds=61)) == {group, reader}


async def test_on_postgresql_a_429_seen_by_one_sender_pauses_the_other(sessionmaker):
    if not is_postgres(sessionmaker.kw["bind"]):
        pytest.skip("the shared budget is PostgreSQL's; SQLite has one sender")
    api = FakeBotAPI()
    chats = await add_chats(sessionmaker, range(830, 850))
    for chat_id in chats:
        await queue(sessionmaker, chat_id, "news")
    api.fail_next(1, FloodWait(retry_after=1), method="sendMessage")
    shared = dict(limits=Limits(rate=20), shared_rate=True, batch_size=4)
    one = make_sender(api, sessionmaker, instance="one", **shared)
    two = make_sender(api, sessionmaker, instance="two", **shared)
    await asyncio.gather(one.bot.initialize(), two.bot.initialize())
    tasks = [asyncio.create_task(sender.run()) for sender in (one, two)]
    try:
        for _ in range(300):
            if len(api.sent_messages()) == 20:
                break
            await asyncio.sleep(0.02)
    finally:
        one.stop()
        two.stop()
        await asyncio.gather(*tasks)

    calls = api.calls_to("sendMessage")
    flood = next(call for call in calls if call.fault is not None)
    after = [call.at - flood.at for call in calls if call.at > flood.at]
    # Slots granted before the pause was written may still go (a grant holds 0.1-0.2 s of
    # them); then nobody sends until retry_after is over.
    assert not [gap for gap in after if 0.5 < gap < 1.0]
    assert len(api.sent_messages()) == 20 and one.stats.sent and two.stats.sent
    assert api.most_in_any_window(1.0) <= 20
    assert {row.status for row in await rows(sessionmaker)} == {DeliveryStatus.SENT}
    async with session_scope(sessionmaker) as session:
        paused = await session.scalar(text("SELECT paused_until FROM send_budget"))
    assert paused > 0


async def test_on_postgresql_terminated_backends_do_not_stop_delivery(sessionmaker):
    if not is_postgres(sessionmaker.kw["bind"]):
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    api = FakeBotAPI()
    first, second = await add_chats(sessionmaker, [861, 862])
    await queue(sessionmaker, first, "before")
    sender = make_sender(api, sessionmaker, lease_seconds=0.4)
    await sender.bot.initialize()
    task = asyncio.create_task(sender.run())
    await api.wait_for_message(chat_id=861, timeout=5)
    async with session_scope(sessionmaker) as session:  # an administrator, a failover
        await session.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    await queue(sessionmaker, second, "after")

    message = await api.wait_for_message(chat_id=862, timeout=10)
    sender.stop()
    await task
    assert message["text"] == "after" and sender.fleet.state is SenderState.STOPPED


async def test_a_stop_while_the_database_is_away_returns_at_once(sessionmaker):
    sender = make_sender(FakeBotAPI(), FlakyDatabase(sessionmaker, failures=float("inf")))
    await sender.bot.initialize()
    task = asyncio.create_task(sender.run())
    await asyncio.sleep(0.3)

    sender.stop()  # SIGTERM: nothing was claimed, nothing to finish
    await asyncio.wait_for(task, timeout=2)
    assert sender.fleet.state is SenderState.STOPPED
