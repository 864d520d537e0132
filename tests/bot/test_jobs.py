"""The recurring digest job inside the application."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.context import NewsContext, services_of
from bot.jobs import build_digests
from digests.db import session_scope
from digests.models import Chat, Delivery, Subscription, Topic, utcnow
from tests.factories import add_article


async def test_the_job_queues_the_digest_of_a_chat_that_started_the_bot(application, api, deliver):
    await deliver(api.user_message("/start", user_id=4242))
    sessionmaker = services_of(application).sessionmaker
    now = utcnow()
    async with session_scope(sessionmaker) as session:
        chat = await session.scalar(select(Chat).where(Chat.telegram_id == 4242))
        assert chat.next_digest_at > now  # scheduled on /start
        tech = await session.scalar(select(Topic).where(Topic.slug == "tech"))
        session.add(Subscription(chat_id=chat.id, topic_id=tech.id))
        await add_article(
            session, 1, topics={tech: 1.0}, title="Chip news", fetched_at=now - timedelta(hours=2)
        )
        await session.execute(update(Chat).values(next_digest_at=now - timedelta(minutes=1)))

    await build_digests(NewsContext(application))

    async with session_scope(sessionmaker) as session:
        [delivery] = (await session.scalars(select(Delivery))).all()
        chat = await session.scalar(select(Chat))
    # /start followed Top stories, where the day's best item goes first.
    assert "<b>TOP STORIES</b>\n<b>1.</b> <a" in delivery.payload["text"]
    assert "Chip news" in delivery.payload["text"]
    assert "https://t.me/newsbot_test_bot?start=t-1-5" in delivery.payload["text"]
    assert chat.next_digest_at > now


def test_the_job_is_registered_to_repeat(application):
    [job] = application.job_queue.get_jobs_by_name("build-digests")
    assert job.job.trigger.interval == timedelta(seconds=30)
