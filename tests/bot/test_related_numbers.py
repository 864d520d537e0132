"""/related N uses the number the reader sees: the last list shown to the chat (a digest, sent
now or through the outbox, /latest or search); #1234 is the archive's number; links still work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.context import NewsContext, services_of
from bot.jobs import build_digests
from digests.db import session_scope
from digests.models import Chat, Topic, utcnow
from tests.bot.outbox_steps import send_pending
from tests.factories import add_article

TITLES = [
    "Council votes on the harbour tram",
    "New app tells cyclists where racks are free",
    "Library lends tools and instruments",
    "Rovers reach the cup semi-final",
    "Bank raises its savings rate",
    "Winter market returns to the square",
    "Springs mapped under the river",
]


@pytest.fixture
async def archive(application):
    """Seven articles in seven hours; the archive ids do not match their places in lists (a
    filler article comes first)."""
    now = utcnow()
    async with session_scope(services_of(application).sessionmaker) as session:
        tech = await session.scalar(select(Topic).where(Topic.slug == "tech"))
        world = await session.scalar(select(Topic).where(Topic.slug == "world"))
        await add_article(
            session, 100, topics={world: 1.0}, title="Filler", fetched_at=now - timedelta(hours=9)
        )
        articles = [
            await add_article(
                session,
                n,
                topics={tech: 1.0},
                title=f"{title} in Northbridge",
                fetched_at=now - timedelta(hours=n + 1),
            )
            for n, title in enumerate(TITLES)
        ]
    return articles


def numbered(text: str, number: int) -> str:
    """The title shown after '<b>N.</b>' in a reply."""
    line = next(line for line in text.splitlines() if line.startswith(f"<b>{number}.</b>"))
    return line.split(">", 3)[-1].split("<")[0]


async def test_a_number_after_digest_is_the_digests(application, api, deliver, archive):
    await deliver(api.user_message("/subscribe tech", user_id=80))
    await deliver(api.user_message("/digest", user_id=80))
    digest = api.sent_messages(chat_id=80)[-1]["text"]
    third_line = next(line for line in digest.splitlines() if line.startswith("<b>3.</b>"))
    await deliver(api.user_message("/related 3", user_id=80))
    answer = api.sent_messages(chat_id=80)[-1]["text"]
    first_title = answer.splitlines()[0]
    assert first_title.split(">", 3)[-1].split("<")[0] in third_line
    assert first_title.startswith("<b>#")


async def test_numbers_after_latest_and_search_pages(application, api, deliver, archive):
    await deliver(api.user_message("/latest", user_id=81))
    latest = api.sent_messages(chat_id=81)[-1]["text"]
    await deliver(api.user_message("/related 2", user_id=81))
    assert numbered(latest, 2) in api.sent_messages(chat_id=81)[-1]["text"].splitlines()[0]

    await deliver(api.user_message("/search Northbridge", user_id=81))
    results = api.sent_messages(chat_id=81)[-1]
    [[next_button]] = results["reply_markup"]["inline_keyboard"]
    await deliver(api.callback_query(next_button["callback_data"], user_id=81))
    second_page = api.message(81, results["message_id"])["text"]
    sixth = next(line for line in second_page.splitlines() if line.startswith("6. "))
    await deliver(api.user_message("/related 6", user_id=81))
    assert sixth.removeprefix("6. ") in api.sent_messages(chat_id=81)[-1]["text"]
    await deliver(api.user_message("/related 1", user_id=81))  # page one is the same list
    assert numbered(results["text"], 1) in api.sent_messages(chat_id=81)[-1]["text"]


async def test_archive_numbers_links_and_no_list(application, api, deliver, archive):
    await deliver(api.user_message("/related 2", user_id=82))
    assert api.sent_messages(chat_id=82)[-1]["text"].startswith(
        "There is no list here for “2” to refer to yet"
    )
    lead = archive[4]
    await deliver(api.user_message(f"/related #{lead.id}", user_id=82))
    assert f"#{lead.id} {lead.title}" in api.sent_messages(chat_id=82)[-1]["plain_text"]
    await deliver(api.user_message(f"/related {lead.url}", user_id=82))
    assert lead.title in api.sent_messages(chat_id=82)[-1]["text"]

    await deliver(api.user_message("/latest", user_id=82))
    await deliver(api.user_message("/related 9", user_id=82))
    assert api.sent_messages(chat_id=82)[-1]["text"].startswith(
        "The last list I showed here has no article 9."
    )
    await deliver(api.user_message(f"/related {lead.id + 100_000}", user_id=82))
    assert api.sent_messages(chat_id=82)[-1]["text"].startswith(
        "The last list I showed here has no article"
    )


async def test_a_scheduled_digest_is_the_last_list_once_sent(application, api, deliver, archive):
    await deliver(api.user_message("/subscribe tech", user_id=83))
    await deliver(api.user_message("/search Northbridge", user_id=83))  # a list shown before
    search = api.sent_messages(chat_id=83)[-1]["text"]
    sessionmaker = services_of(application).sessionmaker
    async with session_scope(sessionmaker) as session:
        await session.execute(
            update(Chat)
            .where(Chat.telegram_id == 83)
            .values(next_digest_at=utcnow() - timedelta(minutes=1))
        )
    await build_digests(NewsContext(application))
    # Queued, not yet seen: the number is still the search's.
    await deliver(api.user_message("/related 1", user_id=83))
    assert numbered(search, 1) in api.sent_messages(chat_id=83)[-1]["text"].splitlines()[0]

    await send_pending(sessionmaker, api)
    digest = next(
        m["text"] for m in reversed(api.sent_messages(chat_id=83)) if "Your digest" in m["text"]
    )
    fourth_line = next(line for line in digest.splitlines() if line.startswith("<b>4.</b>"))
    await deliver(api.user_message("/related 4", user_id=83))
    first_line = api.sent_messages(chat_id=83)[-1]["text"].splitlines()[0]
    assert first_line.split(">", 3)[-1].split("<")[0] in fourth_line

    await deliver(api.user_message("/latest", user_id=83))  # and a newer list wins again
    latest = api.sent_messages(chat_id=83)[-1]["text"]
    await deliver(api.user_message("/related 4", user_id=83))
    assert numbered(latest, 4) in api.sent_messages(chat_id=83)[-1]["text"].splitlines()[0]
