"""An editor's feed URL never makes newsbot fetch from its own or a private network."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from telegram import Update

from bot.app import build_application
from bot.context import NewsContext, services_of
from bot.fakeapi import RecordingRequest
from bot.jobs import poll_sources
from digests.db import session_scope
from digests.ingest.fetch import CONNECTION_FAILED
from digests.models import Article, Source
from tests.digests.ingest.server import FeedServer
from tests.factories import add_source

OWNER = 1001


@pytest.fixture
async def server():
    feed_server = FeedServer()
    await feed_server.start()
    yield feed_server
    await feed_server.stop()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/rss",
        "http://localhost/rss",
        "http://[::1]/rss",
        "http://0x7f000001/rss",
        "http://0177.0.0.1/rss",
        "http://[::ffff:127.0.0.1]/rss",
        "http://169.254.169.254/latest/meta-data/",
        "http://192.168.0.1/feed",
    ],
)
async def test_sources_add_refuses_a_private_address(application, api, deliver, url):
    await deliver(api.user_message(f"/sources add {url}"))
    reply = api.sent_messages(chat_id=OWNER)[-1]["plain_text"]
    assert reply.startswith("Not a public address: ")
    async with session_scope(services_of(application).sessionmaker) as session:
        assert await session.scalar(select(func.count()).select_from(Source)) == 0


async def _poll_one(application, url):
    async with session_scope(services_of(application).sessionmaker) as session:
        await add_source(session, url)
    await poll_sources(NewsContext(application))
    async with session_scope(services_of(application).sessionmaker) as session:
        source = await session.scalar(select(Source))
        articles = await session.scalar(select(func.count()).select_from(Article))
    return source, articles


async def test_a_name_resolving_to_loopback_is_never_fetched_nor_archived(
    application, api, deliver, server
):
    port = server.base.rsplit(":", 1)[1]
    source, articles = await _poll_one(application, f"http://localhost:{port}/rss")
    assert (source.last_error, articles, server.requests) == (CONNECTION_FAILED, 0, [])
    await deliver(api.user_message("/search bridge", user_id=5))
    assert api.sent_messages(chat_id=5)[-1]["plain_text"].startswith("Nothing found")


async def test_the_operator_may_allow_private_hosts(settings, api, server):
    allowed = settings.model_copy(update={"fetch_allow_private_hosts": True})
    app = build_application(allowed, request=RecordingRequest(api))
    await app.initialize()
    await app.post_init(app)
    try:
        port = server.base.rsplit(":", 1)[1]
        source, articles = await _poll_one(app, f"http://localhost:{port}/rss")
        assert (source.last_error, articles) == (None, 2)
        update = api.user_message(f"/sources add http://127.0.0.1:{port}/other")
        await app.process_update(Update.de_json(update, app.bot))
        assert api.sent_messages(chat_id=OWNER)[-1]["plain_text"].startswith("✅ Source #2 added")
    finally:
        await app.post_shutdown(app)
        await app.shutdown()
