"""/sources from the chat: health, add, pause, resume and remove."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.context import services_of
from digests.db import session_scope
from digests.models import AuditEntry, Source, SourceStatus, utcnow
from tests.factories import add_article, add_source

OWNER = 1001


def last(api):
    return api.sent_messages(chat_id=OWNER)[-1]


def buttons(message):
    return [
        (b["text"], b["callback_data"])
        for row in message["reply_markup"]["inline_keyboard"]
        for b in row
    ]


async def stored_sources(application):
    async with session_scope(services_of(application).sessionmaker) as session:
        return list(await session.scalars(select(Source).order_by(Source.id)))


async def one_source_listed(application, api, deliver):
    """Source #1 "A", and the /sources message its buttons are under."""
    async with session_scope(services_of(application).sessionmaker) as session:
        await add_source(session, "https://feeds.example/a.xml", "A")
    await deliver(api.user_message("/sources"))
    return last(api)


async def test_sources_lists_health_with_buttons(application, api, deliver):
    now = utcnow()
    async with session_scope(services_of(application).sessionmaker) as session:
        healthy = await add_source(session, "https://feeds.example/world.xml", "World desk")
        healthy.last_fetch_at = now - timedelta(minutes=5)
        healthy.next_fetch_at = now + timedelta(minutes=10)
        broken = await add_source(session, "https://feeds.example/broken.xml")
        broken.last_error, broken.error_count = "HTTP 503 from feeds.example", 4
        for n in range(3):
            await add_article(
                session, n, topics={}, fetched_at=now - timedelta(hours=n * 10), source=healthy
            )

    await deliver(api.user_message("/sources"))

    listing = last(api)
    lines = listing["plain_text"].splitlines()
    assert lines[0] == "Sources"
    assert "#1 World desk" in lines
    assert "https://feeds.example/world.xml" in lines
    world_health = lines[lines.index("https://feeds.example/world.xml") + 1]
    assert world_health.startswith("Last fetch: ") and "3 articles in 24 h" in world_health
    broken_health = lines[lines.index("https://feeds.example/broken.xml") + 1]
    assert "Last fetch: never" in broken_health and "0 articles in 24 h" in broken_health
    assert "⚠️ Last error (4 in a row): HTTP 503 from feeds.example" in lines
    assert buttons(listing)[:2] == [("⏸ Pause #1", "src:pause:1"), ("🗑 Remove #1", "src:rm:1")]


async def test_add_a_source_with_topics(application, api, deliver):
    await deliver(api.user_message("/sources add https://feeds.example/tech.xml tech science"))
    assert last(api)["plain_text"].splitlines()[:2] == [
        "✅ Source #1 added: https://feeds.example/tech.xml",
        "Topics: tech, science",
    ]
    [source] = await stored_sources(application)
    assert source.default_topics == ["tech", "science"]
    assert source.status == SourceStatus.ACTIVE and source.next_fetch_at is not None
    async with session_scope(services_of(application).sessionmaker) as session:
        entry = await session.scalar(select(AuditEntry))
    assert (entry.action, entry.target, entry.actor_id) == ("source_add", "source:1", OWNER)


async def test_a_bare_add_gets_the_usage(application, api, deliver):
    await deliver(api.user_message("/sources add"))
    assert last(api)["plain_text"] == "Usage: /sources, or /sources add <url> [topic …]"
    await deliver(api.user_message("/sources list"))
    assert last(api)["plain_text"] == "Usage: /sources, or /sources add <url> [topic …]"
    assert await stored_sources(application) == []


async def test_pause_resume_and_remove_by_buttons(application, api, deliver):
    listing = await one_source_listed(application, api, deliver)

    await deliver(api.callback_query("src:pause:1"))
    [source] = await stored_sources(application)
    assert source.status == SourceStatus.PAUSED
    redrawn = api.message(OWNER, listing["message_id"])
    assert "paused" in redrawn["text"]
    assert ("▶️ Resume #1", "src:resume:1") in buttons(redrawn)
    assert api.calls_to("answerCallbackQuery")[-1].params["text"] == "Source #1 paused."

    await deliver(api.callback_query("src:resume:1"))
    assert (await stored_sources(application))[0].status == SourceStatus.ACTIVE

    await deliver(api.callback_query("src:rm:1"))
    asked = api.message(OWNER, listing["message_id"])
    assert asked["text"].startswith("Remove source #1 (https://feeds.example/a.xml)?")
    assert len(await stored_sources(application)) == 1
    await deliver(api.callback_query("src:rmok:1"))
    assert await stored_sources(application) == []
    assert "No sources yet." in api.message(OWNER, listing["message_id"])["text"]

    await deliver(api.callback_query("src:pause:1"))  # a stale button
    answer = api.calls_to("answerCallbackQuery")[-1].params
    assert (answer["text"], answer["show_alert"]) == ("There is no source #1.", True)
    async with session_scope(services_of(application).sessionmaker) as session:
        actions = list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["source_pause", "source_resume", "source_remove"]


async def test_keep_it_goes_back_to_the_list(application, api, deliver):
    listing = await one_source_listed(application, api, deliver)
    await deliver(api.callback_query("src:rm:1"))
    assert ("Keep it", "src:list") in buttons(api.message(OWNER, listing["message_id"]))
    await deliver(api.callback_query("src:list"))
    back = api.message(OWNER, listing["message_id"])
    assert "#1 A" in back["text"] and ("🗑 Remove #1", "src:rm:1") in buttons(back)
    assert len(await stored_sources(application)) == 1
