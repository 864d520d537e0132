"""Forum topics as targets: /here routes digests and alerts to threads; a thread that goes
away falls back to General and the admins are told once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.context import NewsContext, services_of
from bot.jobs import build_digests
from digests.db import session_scope
from digests.delivery.failures import FailureCode
from digests.models import Chat, Delivery, DeliveryStatus, ForumRoute, Subscription, Topic, utcnow
from tests.digests.delivery.sending import drain, make_sender
from tests.factories import add_article

FORUM = -1003000000042
ADMIN, MEMBER = 71, 72


async def forum_with_threads(api, deliver):
    """A forum supergroup with two threads; the admin subscribed it to world and sport."""
    world_thread = api.create_forum_topic(FORUM)
    alerts_thread = api.create_forum_topic(FORUM)
    api.set_chat(FORUM, title="Readers' club")
    api.set_member(FORUM, ADMIN, "administrator")
    await deliver(api.user_message("/subscribe world sport", user_id=ADMIN, chat_id=FORUM))
    return world_thread, alerts_thread


async def due_digest(application):
    """One world and one sport article, and the forum's digest due now."""
    sessionmaker = services_of(application).sessionmaker
    now = utcnow()
    async with session_scope(sessionmaker) as session:
        topics = {t.slug: t for t in await session.scalars(select(Topic))}
        chat = await session.scalar(select(Chat).where(Chat.telegram_id == FORUM))
        await session.execute(
            Subscription.__table__.delete().where(
                Subscription.chat_id == chat.id,
                Subscription.topic_id.not_in([topics["world"].id, topics["sport"].id]),
            )
        )
        await add_article(
            session,
            1,
            topics={topics["world"]: 1.0},
            title="Summit ends",
            fetched_at=now - timedelta(hours=2),
        )
        await add_article(
            session,
            2,
            topics={topics["sport"]: 1.0},
            title="Cup final tonight",
            fetched_at=now - timedelta(hours=2),
        )
        await session.execute(update(Chat).values(next_digest_at=now - timedelta(minutes=1)))


async def deliveries(application):
    async with session_scope(services_of(application).sessionmaker) as session:
        return list(await session.scalars(select(Delivery).order_by(Delivery.id)))


async def test_here_routes_a_topic_to_its_thread_and_the_digest_is_split(application, api, deliver):
    world_thread, alerts_thread = await forum_with_threads(api, deliver)

    await deliver(
        api.user_message("/here world", user_id=ADMIN, chat_id=FORUM, thread_id=world_thread)
    )
    answer = api.sent_messages(chat_id=FORUM)[-1]
    assert answer["message_thread_id"] == world_thread  # the answer stays in the thread
    assert answer["plain_text"].splitlines()[0] == "✅ This thread receives: the “World” digest."
    await deliver(
        api.user_message("/here alerts", user_id=ADMIN, chat_id=FORUM, thread_id=alerts_thread)
    )
    assert (
        f"Thread {world_thread} receives: the “World” digest."
        in api.sent_messages(chat_id=FORUM)[-1]["plain_text"]
    )

    await due_digest(application)
    await build_digests(NewsContext(application))
    await build_digests(NewsContext(application))  # a second run queues nothing twice

    rows = await deliveries(application)
    digests = [row for row in rows if row.kind == "digest"]
    assert sorted((row.thread_id, row.part) for row in digests) == [(0, 0), (world_thread, 0)]
    by_thread = {row.thread_id: row for row in digests}
    assert "Summit ends" in by_thread[world_thread].payload["text"]
    assert "Cup final" not in by_thread[world_thread].payload["text"]
    assert "Cup final tonight" in by_thread[0].payload["text"]
    assert by_thread[world_thread].payload["message_thread_id"] == world_thread
    assert "message_thread_id" not in by_thread[0].payload

    sessionmaker = services_of(application).sessionmaker
    await drain(make_sender(api, sessionmaker), sessionmaker)
    sent = [m for m in api.sent_messages(chat_id=FORUM) if "Summit ends" in m["plain_text"]]
    assert [m.get("message_thread_id") for m in sent] == [world_thread]


async def test_only_admins_route_and_only_inside_a_forum_thread(application, api, deliver):
    world_thread, _ = await forum_with_threads(api, deliver)
    await deliver(api.user_message("/here", user_id=MEMBER, chat_id=FORUM, thread_id=world_thread))
    assert api.sent_messages(chat_id=FORUM)[-1]["plain_text"] == (
        "Only this group's admins can change its topics and settings."
    )
    await deliver(api.user_message("/here", user_id=ADMIN, chat_id=FORUM))  # General
    assert api.sent_messages(chat_id=FORUM)[-1]["plain_text"].startswith(
        "/here works inside a thread of a forum group"
    )
    await deliver(
        api.user_message("/here astrology", user_id=ADMIN, chat_id=FORUM, thread_id=world_thread)
    )
    assert api.sent_messages(chat_id=FORUM)[-1]["plain_text"].startswith(
        "No such topic: astrology."
    )
    async with session_scope(services_of(application).sessionmaker) as session:
        assert list(await session.scalars(select(ForumRoute))) == []


async def test_a_deleted_thread_falls_back_to_general_and_the_admins_are_told_once(
    application, api, deliver
):
    world_thread, _ = await forum_with_threads(api, deliver)
    await deliver(api.user_message("/here", user_id=ADMIN, chat_id=FORUM, thread_id=world_thread))
    api.close_forum_topic(FORUM, world_thread, delete=True)
    await due_digest(application)
    await build_digests(NewsContext(application))
    sessionmaker = services_of(application).sessionmaker

    await drain(make_sender(api, sessionmaker), sessionmaker)

    [digest] = [row for row in await deliveries(application) if row.kind == "digest"]
    assert digest.status is DeliveryStatus.SENT and digest.error_code == FailureCode.THREAD_GONE
    [sent] = [m for m in api.sent_messages(chat_id=FORUM) if "Summit ends" in m["plain_text"]]
    assert "message_thread_id" not in sent  # in General

    await build_digests(NewsContext(application))  # the job notices, drops the route, tells
    await build_digests(NewsContext(application))
    await drain(make_sender(api, sessionmaker), sessionmaker)
    notices = [m for m in api.sent_messages(chat_id=FORUM) if m["plain_text"].startswith("⚠️")]
    assert len(notices) == 1
    assert "closed or deleted" in notices[0]["plain_text"]
    assert "every digest" in notices[0]["plain_text"]
    async with session_scope(sessionmaker) as session:
        assert list(await session.scalars(select(ForumRoute))) == []


async def test_a_closed_thread_answers_topic_closed_and_falls_back(application, api, deliver):
    world_thread, alerts_thread = await forum_with_threads(api, deliver)
    await deliver(
        api.user_message("/here alerts", user_id=ADMIN, chat_id=FORUM, thread_id=alerts_thread)
    )
    api.close_forum_topic(FORUM, alerts_thread)
    answer = api.handle(
        "sendMessage", {"chat_id": FORUM, "text": "x", "message_thread_id": alerts_thread}
    )
    assert answer["description"] == "Bad Request: TOPIC_CLOSED"
    missing = api.handle("sendMessage", {"chat_id": FORUM, "text": "x", "message_thread_id": 999})
    assert missing["description"] == "Bad Request: message thread not found"


async def test_alerts_go_to_the_thread_routed_for_them(application, api, deliver):
    world_thread, alerts_thread = await forum_with_threads(api, deliver)
    await deliver(
        api.user_message("/here alerts", user_id=ADMIN, chat_id=FORUM, thread_id=alerts_thread)
    )
    await deliver(api.user_message("/alert Storm hits the coast https://news.example/storm"))
    async with session_scope(services_of(application).sessionmaker) as session:
        world = await session.scalar(select(Topic).where(Topic.slug == "world"))
    await deliver(api.callback_query(f"al:a:1:t{world.id}"))
    await deliver(api.callback_query("al:ok:1"))

    [alert] = [row for row in await deliveries(application) if row.kind == "alert"]
    assert alert.thread_id == alerts_thread
    assert alert.payload["message_thread_id"] == alerts_thread
