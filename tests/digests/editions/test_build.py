"""Building due digests: queued once, windows contiguous, due times advanced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.fakeapi import parse_telegram_html
from digests.db import session_scope
from digests.editions.assemble import Limits
from digests.editions.build import BuildOptions, build_due_editions
from digests.editions.plan import digest_ref
from digests.models import Chat, Delivery, DeliveryKind, Edition, Topic
from digests.text.render import Renderer
from tests.factories import add_article, add_chat, add_source, add_story, add_topics, relate

# 08:00 in Warsaw on the first day after the clocks went forward.
MOMENT = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
RENDERER = Renderer()
OPTIONS = BuildOptions(bot_username="newsbot_test_bot")


async def build(sessionmaker, now, options=OPTIONS):
    async with session_scope(sessionmaker) as session:
        return await build_due_editions(
            session=session, renderer=RENDERER, now=now, options=options
        )


async def outbox(sessionmaker):
    async with session_scope(sessionmaker) as session:
        rows = await session.execute(
            select(Chat.telegram_id, Delivery)
            .join(Chat, Chat.id == Delivery.chat_id)
            .order_by(Delivery.id)
        )
        return [(telegram_id, delivery) for telegram_id, delivery in rows]


async def test_a_due_chat_gets_its_digest_queued_and_its_next_moment_set(sessionmaker):
    async with session_scope(sessionmaker) as session:
        topics = await add_topics(session, "world", "tech")
        wire = await add_source(session, "https://wire.example/feed", title="The Wire")
        story = await add_story(session, 2, MOMENT - timedelta(hours=3))
        lead = await add_article(
            session,
            1,
            topics={topics["world"]: 0.9},
            source=wire,
            story=story,
            fetched_at=MOMENT - timedelta(hours=2),
            title="Summit ends with a deal",
            summary="Leaders agreed.",
        )
        await add_article(
            session,
            2,
            topics={topics["world"]: 0.8},
            story=story,
            fetched_at=MOMENT - timedelta(hours=1),
            published_at=MOMENT - timedelta(hours=3),
        )
        background = await add_article(
            session,
            3,
            topics={topics["tech"]: 1.0},
            fetched_at=MOMENT - timedelta(days=3),
            title="How the talks began",
        )
        await relate(session, lead, background, 0.7)
        await add_article(
            session,
            4,
            topics={topics["tech"]: 1.0},
            fetched_at=MOMENT - timedelta(hours=5),
            title="Chip <news>",
        )
        await add_chat(
            session,
            501,
            topics=[topics["world"], topics["tech"]],
            timezone="Europe/Warsaw",
            next_digest_at=MOMENT,
        )
        await add_chat(
            session, 502, topics=[topics["tech"]], next_digest_at=MOMENT + timedelta(hours=1)
        )

    report = await build(sessionmaker, MOMENT + timedelta(seconds=30))

    assert (report.chats, report.editions) == (1, 1)
    [(telegram_id, delivery)] = await outbox(sessionmaker)
    assert telegram_id == 501
    assert (delivery.kind, delivery.ref, delivery.part) == (
        DeliveryKind.DIGEST,
        "digest:20260329T060000Z",
        0,
    )
    text = parse_telegram_html(delivery.payload["text"])
    assert text.splitlines()[:4] == [
        "📰 Your digest · Sunday, March 29, 2026",
        "World · Tech",
        "",
        "WORLD",
    ]
    assert "Summit ends with a deal" in text and "+1 more source" in text
    assert "Related: How the talks began" in text
    assert "Chip <news>" in text
    assert "How the talks began\n" not in text.split("TECH")[1]  # older than the first window
    assert text.rstrip().endswith("https://t.me/newsbot_test_bot?start=t-1-2")
    assert delivery.payload["link_preview_options"] == {"is_disabled": True}
    # A "related" button per numbered item.
    assert delivery.payload["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "🔗 1", "callback_data": "rl:1"}, {"text": "🔗 2", "callback_data": "rl:4"}]
        ]
    }
    async with session_scope(sessionmaker) as session:
        chat = await session.scalar(select(Chat).where(Chat.telegram_id == 501))
        edition = await session.scalar(select(Edition))
    assert chat.last_digest_at == MOMENT
    assert chat.next_digest_at == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)  # 08:00 CEST again
    assert edition.article_ids == [1, 4]


async def test_the_next_edition_has_only_what_arrived_since_the_last(sessionmaker):
    async with session_scope(sessionmaker) as session:
        topics = await add_topics(session, "world")
        await add_article(
            session, 1, topics={topics["world"]: 1}, fetched_at=MOMENT - timedelta(hours=1)
        )
        await add_chat(session, 600, topics=[topics["world"]], next_digest_at=MOMENT)
    await build(sessionmaker, MOMENT + timedelta(minutes=1))
    async with session_scope(sessionmaker) as session:
        chat = await session.scalar(select(Chat).where(Chat.telegram_id == 600))
        next_moment = chat.next_digest_at
        world = await session.scalar(select(Topic).where(Topic.slug == "world"))
        # Published before the first digest, but it arrived after: it belongs to the next.
        await add_article(
            session,
            2,
            topics={world: 1},
            fetched_at=MOMENT + timedelta(minutes=5),
            published_at=MOMENT - timedelta(hours=2),
            title="Late arrival",
        )
    await build(sessionmaker, next_moment + timedelta(minutes=1))
    async with session_scope(sessionmaker) as session:
        editions = (await session.scalars(select(Edition).order_by(Edition.id))).all()
    assert [e.article_ids for e in editions] == [[1], [2]]
    assert editions[1].window_start == editions[0].window_end == MOMENT


async def test_building_again_for_the_same_moment_queues_nothing_twice(sessionmaker):
    async with session_scope(sessionmaker) as session:
        topics = await add_topics(session, "world")
        await add_article(
            session, 1, topics={topics["world"]: 1}, fetched_at=MOMENT - timedelta(hours=1)
        )
        await add_chat(session, 700, topics=[topics["world"]], next_digest_at=MOMENT)
    await build(sessionmaker, MOMENT + timedelta(minutes=1))
    # As if another instance had read the chat before this one advanced it.
    async with session_scope(sessionmaker) as session:
        await session.execute(update(Chat).values(next_digest_at=MOMENT, last_digest_at=None))
    await build(sessionmaker, MOMENT + timedelta(minutes=2))
    async with session_scope(sessionmaker) as session:
        editions = await session.scalar(select(func.count()).select_from(Edition))
        deliveries = await session.scalar(select(func.count()).select_from(Delivery))
    assert (editions, deliveries) == (1, 1)


async def test_chats_with_the_same_audience_share_one_rendering(sessionmaker):
    async with session_scope(sessionmaker) as session:
        topics = await add_topics(session, "world", "tech")
        await add_article(
            session, 1, topics={topics["world"]: 1}, fetched_at=MOMENT - timedelta(hours=1)
        )
        for n in range(5):
            await add_chat(session, 800 + n, topics=[topics["world"]], next_digest_at=MOMENT)
        await add_chat(session, 900, topics=[topics["world"]], next_digest_at=MOMENT, language="xx")
        await add_chat(
            session, 901, topics=[topics["world"]], next_digest_at=MOMENT, timezone="Asia/Kathmandu"
        )
    report = await build(sessionmaker, MOMENT + timedelta(minutes=1))
    assert (report.chats, report.messages, report.renderings) == (7, 7, 3)


async def test_nothing_new_sends_nothing_unless_configured(sessionmaker):
    async with session_scope(sessionmaker) as session:
        topics = await add_topics(session, "world")
        await add_chat(session, 1000, topics=[topics["world"]], next_digest_at=MOMENT)
        await add_chat(
            session, 1001, topics=[topics["world"]], next_digest_at=MOMENT + timedelta(days=1)
        )
    quiet = await build(sessionmaker, MOMENT + timedelta(minutes=1))
    assert (quiet.editions, quiet.messages) == (1, 0)
    chatty = BuildOptions(send_empty=True, limits=Limits())
    await build(sessionmaker, MOMENT + timedelta(days=1, minutes=1), options=chatty)
    rows = await outbox(sessionmaker)
    # Chat 1000 is due again a day later too: both now hear that nothing is new.
    assert sorted(telegram_id for telegram_id, _ in rows) == [1000, 1001]
    assert all(d.payload["text"].startswith("Nothing new in your topics") for _, d in rows)


async def test_a_chat_without_subscriptions_is_advanced_without_a_message(sessionmaker):
    async with session_scope(sessionmaker) as session:
        await add_chat(session, 1100, next_digest_at=MOMENT)
    report = await build(sessionmaker, MOMENT + timedelta(minutes=1))
    assert (report.chats, report.messages) == (1, 0)
    async with session_scope(sessionmaker) as session:
        chat = await session.scalar(select(Chat))
    assert chat.next_digest_at > MOMENT


def test_digest_refs_name_the_moment():
    assert digest_ref(MOMENT) == "digest:20260329T060000Z"


async def test_two_instances_building_at_once_never_double_a_digest(sessionmaker, engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: one process runs the job there")
    import asyncio

    async with session_scope(sessionmaker) as session:
        topics = await add_topics(session, "world")
        await add_article(
            session, 1, topics={topics["world"]: 1}, fetched_at=MOMENT - timedelta(hours=1)
        )
        for n in range(300):
            await add_chat(session, 20_000 + n, topics=[topics["world"]], next_digest_at=MOMENT)
    small = BuildOptions(batch_size=25)

    async def instance():
        built = 0
        while True:
            report = await build(sessionmaker, MOMENT + timedelta(minutes=1), options=small)
            built += report.chats
            if report.chats == 0:
                return built

    first, second = await asyncio.gather(instance(), instance())
    async with session_scope(sessionmaker) as session:
        deliveries = await session.scalar(select(func.count()).select_from(Delivery))
        editions = await session.scalar(select(func.count()).select_from(Edition))
    assert first + second == 300  # every chat built once, by one instance or the other
    assert (deliveries, editions) == (300, 300)


async def test_a_schedule_changed_during_a_build_is_not_overwritten(sessionmaker):
    from digests.editions.build import advance, claim_due_chats

    async with session_scope(sessionmaker) as session:
        await add_chat(session, 30_000, next_digest_at=MOMENT)
    async with session_scope(sessionmaker) as session:
        [due] = await claim_due_chats(session=session, now=MOMENT + timedelta(minutes=1), limit=10)
    # Meanwhile the reader turns digests off in /settings.
    async with session_scope(sessionmaker) as session:
        await session.execute(update(Chat).values(next_digest_at=None))
    async with session_scope(sessionmaker) as session:
        await advance(session=session, chats=[due], now=MOMENT + timedelta(minutes=1))
    async with session_scope(sessionmaker) as session:
        chat = await session.scalar(select(Chat))
    assert chat.next_digest_at is None


async def test_chats_advanced_together_spare_only_the_one_rescheduled_meanwhile(sessionmaker):
    from digests.editions.build import advance, claim_due_chats

    async with session_scope(sessionmaker) as session:
        await add_chat(session, 30_001, next_digest_at=MOMENT, timezone="Europe/Warsaw")
        await add_chat(session, 30_002, next_digest_at=MOMENT, timezone="Europe/Warsaw")
    now = MOMENT + timedelta(minutes=1)
    async with session_scope(sessionmaker) as session:
        due = await claim_due_chats(session=session, now=now, limit=10)
    # Meanwhile one reader moves the digest to the evening in /settings.
    evening = datetime(2026, 3, 29, 16, 0, tzinfo=UTC)
    async with session_scope(sessionmaker) as session:
        await session.execute(
            update(Chat).where(Chat.telegram_id == 30_002).values(next_digest_at=evening)
        )
    async with session_scope(sessionmaker) as session:
        await advance(session=session, chats=due, now=now)
    async with session_scope(sessionmaker) as session:
        rows = (await session.execute(select(Chat.telegram_id, Chat.next_digest_at))).all()
    assert dict(rows) == {30_001: datetime(2026, 3, 30, 6, 0, tzinfo=UTC), 30_002: evening}
