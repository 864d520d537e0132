"""LINK_UTM: the links readers click carry the newsroom's campaign parameters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from telegram import Update

from bot.app import NewsApplication
from bot.context import NewsContext, services_of
from bot.fakeapi import FakeBotAPI
from bot.jobs import build_digests
from digests.config import Settings
from digests.db import session_scope
from digests.models import Article, Chat, Delivery, Topic, utcnow
from tests.bot.conftest import running_application
from tests.factories import add_article

UTM = "utm_source=telegram&utm_medium={kind}"


@pytest.fixture
async def tracked_app(settings: Settings, api: FakeBotAPI) -> AsyncIterator[NewsApplication]:
    async with running_application(settings.model_copy(update={"link_utm": UTM}), api) as app:
        yield app


async def test_digest_and_search_links_are_tagged_and_the_archive_keeps_the_canonical_url(
    tracked_app, api
) -> None:
    sessionmaker = services_of(tracked_app).sessionmaker
    await tracked_app.process_update(
        Update.de_json(api.user_message("/start", user_id=4400), tracked_app.bot)
    )
    now = utcnow()
    async with session_scope(sessionmaker) as session:
        tech = await session.scalar(select(Topic).where(Topic.slug == "tech"))
        article = await add_article(
            session, 1, topics={tech: 1.0}, title="Chip news", fetched_at=now - timedelta(hours=1)
        )
        canonical = article.url
        await session.execute(update(Chat).values(next_digest_at=now - timedelta(minutes=1)))
    await build_digests(NewsContext(tracked_app))
    async with session_scope(sessionmaker) as session:
        [digest] = (await session.scalars(select(Delivery))).all()
        stored = await session.scalar(select(Article.url))
    assert (
        f'<a href="{canonical}?utm_source=telegram&amp;utm_medium=digest">'
        in (digest.payload["text"])
    )
    assert stored == canonical

    await tracked_app.process_update(
        Update.de_json(api.user_message("/search chip", user_id=4400), tracked_app.bot)
    )
    results = api.sent_messages(chat_id=4400)[-1]["text"]
    assert f'href="{canonical}?utm_source=telegram&amp;utm_medium=lookup"' in results
