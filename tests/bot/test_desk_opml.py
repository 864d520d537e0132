"""OPML from the desk: an .opml document adds its feeds; /sources export answers with a file."""

from __future__ import annotations

import listparser
from sqlalchemy import select

from bot.context import services_of
from digests.db import session_scope
from digests.desk.opml import MAX_OPML_BYTES
from digests.models import AuditEntry, Source
from tests.bot.cli.test_opml import OPML
from tests.factories import add_source

OWNER = 1001
STRANGER = 2002


async def test_an_owner_sends_an_opml_file_and_its_feeds_become_sources(application, api, deliver):
    await deliver(api.user_document(OPML.encode(), "feeds.opml"))

    lines = api.sent_messages(chat_id=OWNER)[-1]["plain_text"].splitlines()
    assert lines[0] == (
        "OPML import: 3 added, 1 already known, 2 without a feed address, 1 refused."
    )
    assert "✅ #3 Match reports (sport)" in lines
    assert "No feed address: Empty" in lines
    async with session_scope(services_of(application).sessionmaker) as session:
        urls = list(await session.scalars(select(Source.url).order_by(Source.id)))
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert urls == [
        "https://wire.example/world.xml",
        "https://blog.example/feed",
        "https://sport.example/rss",
    ]
    assert actions == ["source_add"] * 3  # each addition is audited under the owner


async def test_a_reader_cannot_import(application, api, deliver):
    await deliver(api.user_document(OPML.encode(), "feeds.opml", user_id=STRANGER))
    assert api.sent_messages(chat_id=STRANGER)[-1]["plain_text"] == (
        "⛔ Not allowed: this is for the newsroom's editors."
    )
    assert api.calls_to("getFile") == []  # nothing is downloaded for someone not allowed
    async with session_scope(services_of(application).sessionmaker) as session:
        assert list(await session.scalars(select(Source))) == []


async def test_a_file_too_large_is_not_downloaded(application, api, deliver):
    big = b"<opml>" + b" " * MAX_OPML_BYTES + b"</opml>"
    await deliver(api.user_document(big, "huge.opml"))
    assert api.sent_messages(chat_id=OWNER)[-1]["plain_text"].startswith(
        "That file is too large for a subscription list"
    )
    assert api.calls_to("getFile") == []


async def test_sources_export_sends_an_opml_file(application, api, deliver):
    async with session_scope(services_of(application).sessionmaker) as session:
        source = await add_source(session, "https://feeds.example/a.xml", "A & B")
        source.default_topics = ["world"]

    await deliver(api.user_message("/sources export"))

    [call] = api.calls_to("sendDocument")
    upload = call.params["document"]
    assert upload["filename"].startswith("newsbot-sources-") and upload["filename"].endswith(
        ".opml"
    )
    parsed = listparser.parse(upload["content"])
    assert [(f.url, f.title, f.tags) for f in parsed.feeds] == [
        ("https://feeds.example/a.xml", "A & B", ["world"])
    ]
