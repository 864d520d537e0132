"""Recurring jobs with several processes on one database: each unit of work done once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.context import NewsContext, services_of
from bot.jobs import build_digests, maintenance, once_across_instances
from digests.db import session_scope
from digests.ingest.sources import due_sources
from digests.leases import hold_lease
from digests.models import (
    AuditEntry,
    ChatEvent,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Edition,
    Lease,
    Topic,
    utcnow,
)
from tests.factories import add_article, add_chat, add_source


async def test_a_job_run_by_two_instances_runs_in_one_until_its_runner_is_gone(application, twin):
    runs: list[str] = []

    async def job(context: NewsContext) -> None:
        runs.append(context.services.instance)

    claimed = once_across_instances("probe", job, hold=60)
    first, second = NewsContext(application), NewsContext(twin)
    for _ in range(3):
        await claimed(first)
        await claimed(second)
    assert runs == [services_of(application).instance] * 3  # the twin skipped every run

    sessionmaker = services_of(application).sessionmaker
    async with session_scope(sessionmaker) as session:  # the runner died: its lease ran out
        lease = await session.get(Lease, "job:probe")
        lease.expires_at = utcnow() - timedelta(seconds=1)
    await claimed(second)
    await claimed(first)
    assert runs[3:] == [services_of(twin).instance]


def test_progress_cards_and_maintenance_are_registered_once_across_instances(application):
    for name in ("refresh_alert_status", "maintenance"):
        [job] = application.job_queue.get_jobs_by_name(name)
        assert job.callback.__name__ == name.replace("-", "_")


async def test_two_pollers_claim_different_sources_and_neither_fetches_one_twice(sessionmaker):
    now = utcnow()
    async with session_scope(sessionmaker) as session:
        for n in range(4):
            await add_source(session, f"https://feeds.example/{n}.xml")
    async with session_scope(sessionmaker) as first:
        taken = {source.url for source in await due_sources(session=first, now=now, limit=2)}
        async with session_scope(sessionmaker) as second:  # while the first still holds its own
            if first.bind.dialect.name == "sqlite":
                pytest.skip("SQLite has one writer: one `newsbot run` polls")
            other = {source.url for source in await due_sources(session=second, now=now)}
    async with session_scope(sessionmaker) as third:  # after both committed: nothing is due
        again = await due_sources(session=third, now=now + timedelta(minutes=1))
    assert len(taken) == 2 and len(other) == 2 and not taken & other
    assert again == []


async def test_a_claimed_source_is_due_again_only_after_its_hold(sessionmaker):
    now = utcnow()
    async with session_scope(sessionmaker) as session:
        await add_source(session, "https://feeds.example/only.xml")
    async with session_scope(sessionmaker) as session:
        assert len(await due_sources(session=session, now=now)) == 1
    async with session_scope(sessionmaker) as session:
        assert await due_sources(session=session, now=now + timedelta(minutes=5)) == []
    async with session_scope(sessionmaker) as session:  # the poller died mid-fetch
        assert len(await due_sources(session=session, now=now + timedelta(minutes=11))) == 1


async def test_maintenance_forgets_by_retention_and_keeps_the_rest(application, settings):
    sessionmaker = services_of(application).sessionmaker
    now, old = utcnow(), utcnow() - timedelta(days=400)
    async with session_scope(sessionmaker) as session:
        chat = await add_chat(session, 5151)
        for ref, status, created in (
            ("old-sent", DeliveryStatus.SENT, old),
            ("old-pending", DeliveryStatus.PENDING, old),  # unfinished: never deleted
            ("new-sent", DeliveryStatus.SENT, now),
        ):
            session.add(
                Delivery(
                    chat_id=chat.id,
                    kind=DeliveryKind.DIGEST,
                    ref=ref,
                    status=status,
                    created_at=created,
                )
            )
        session.add_all(
            [
                AuditEntry(at=old, actor_id=1, action="alert"),
                AuditEntry(at=now, actor_id=1, action="alert"),
                ChatEvent(at=old, telegram_chat_id=5151, chat_type="private", event="join"),
            ]
        )
        await hold_lease(
            session=session, name="instance:gone", owner="x", seconds=1, now=now - timedelta(days=1)
        )

    await maintenance(NewsContext(application))

    async with session_scope(sessionmaker) as session:
        refs = set(await session.scalars(select(Delivery.ref)))
        audit = await session.scalar(select(func.count()).select_from(AuditEntry))
        events = await session.scalar(select(func.count()).select_from(ChatEvent))
        leases = set(await session.scalars(select(Lease.name)))
    assert refs == {"old-pending", "new-sent"}
    assert audit == 1 and events == 0
    assert "instance:gone" not in leases


async def test_two_instances_building_digests_at_once_build_each_once(application, twin):
    sessionmaker = services_of(application).sessionmaker
    now = utcnow()
    async with session_scope(sessionmaker) as session:
        tech = await session.scalar(select(Topic).where(Topic.slug == "tech"))
        await add_article(
            session, 1, topics={tech: 1.0}, title="Chip news", fetched_at=now - timedelta(hours=2)
        )
        for n in range(40):
            await add_chat(
                session, 9000 + n, topics=[tech], next_digest_at=now - timedelta(minutes=5)
            )

    await asyncio.gather(build_digests(NewsContext(application)), build_digests(NewsContext(twin)))

    async with session_scope(sessionmaker) as session:
        editions = await session.scalar(select(func.count()).select_from(Edition))
        per_chat = (
            await session.execute(select(Delivery.chat_id, func.count()).group_by(Delivery.chat_id))
        ).all()
    assert editions == 40
    assert len(per_chat) == 40 and {count for _, count in per_chat} == {1}
