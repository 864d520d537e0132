"""Old news is not news: a backlog published long ago stays out of digests, /latest and
preview whatever its fetch time, yet stays searchable and is dated with its year."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.context import services_of
from digests.db import session_scope
from digests.models import Topic, utcnow
from tests.bot.cli.running import newsbot_beside
from tests.factories import add_article

BACKLOG = datetime(2006, 1, 2, 15, 25, tzinfo=UTC)


@pytest.fixture
async def backlog(application):
    """Fetched an hour ago: one fresh article, one from a feed's 2006 backlog."""
    now = utcnow()
    async with session_scope(services_of(application).sessionmaker) as session:
        tech = await session.scalar(select(Topic).where(Topic.slug == "tech"))
        await add_article(
            session,
            1,
            topics={tech: 1.0},
            title="Tram depot opens its doors",
            fetched_at=now - timedelta(hours=1),
            published_at=now - timedelta(hours=3),
        )
        await add_article(
            session,
            2,
            topics={tech: 1.0},
            title="Harbour ferry timetable of old",
            fetched_at=now - timedelta(hours=1),
            published_at=BACKLOG,
        )


async def test_a_backlog_stays_out_of_digests_and_latest(application, api, deliver, backlog):
    await deliver(api.user_message("/subscribe tech", user_id=70))
    await deliver(api.user_message("/digest", user_id=70))
    digest = api.sent_messages(chat_id=70)[-1]["text"]
    assert "Tram depot opens its doors" in digest
    assert "ferry" not in digest

    await deliver(api.user_message("/latest", user_id=70))
    latest = api.sent_messages(chat_id=70)[-1]["text"]
    assert "Tram depot opens its doors" in latest and "ferry" not in latest
    await deliver(api.user_message("/latest tech", user_id=70))
    assert "ferry" not in api.sent_messages(chat_id=70)[-1]["text"]


async def test_a_backlog_stays_searchable_and_shows_its_year(application, api, deliver, backlog):
    await deliver(api.user_message("/search ferry timetable", user_id=71))
    text = api.sent_messages(chat_id=71)[-1]["text"]
    assert "Harbour ferry timetable of old" in text
    assert "Jan 2, 2006" in text


async def test_recent_articles_read_how_long_ago(application, api, deliver, backlog):
    await deliver(api.user_message("/search tram depot", user_id=72))
    assert "3 hours ago" in api.sent_messages(chat_id=72)[-1]["text"]


async def test_an_empty_latest_says_how_far_back_it_looks(application, api, deliver):
    await deliver(api.user_message("/latest", user_id=73))
    assert "last 48 hours" in api.sent_messages(chat_id=73)[-1]["text"]


def _jsonl(*records: dict[str, object]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


async def test_preview_leaves_out_a_backlog(tmp_path, database_url):
    fresh = (utcnow() - timedelta(hours=2)).isoformat()
    feed = tmp_path / "articles.jsonl"
    feed.write_text(
        _jsonl(
            {
                "title": "Tram depot opens its doors",
                "url": "https://news.example/depot",
                "text": "The tram depot opened its doors to visitors on Sunday.",
                "published": fresh,
                "topics": ["tech"],
            },
            {
                "title": "Harbour ferry timetable of old",
                "url": "https://news.example/ferry",
                "text": "The harbour ferry ran every hour in the winter timetable.",
                "published": BACKLOG.isoformat(),
                "topics": ["tech"],
            },
        )
    )
    ingested = await newsbot_beside("ingest", str(feed), cwd=tmp_path, DATABASE_URL=database_url)
    assert ingested.returncode == 0, ingested.stderr
    shown = await newsbot_beside(
        "preview", "--topics", "tech", cwd=tmp_path, DATABASE_URL=database_url
    )
    assert shown.returncode == 0, shown.stderr
    assert "Tram depot opens its doors" in shown.stdout
    assert "ferry" not in shown.stdout

    unbound = await newsbot_beside(
        "preview",
        "--topics",
        "tech",
        cwd=tmp_path,
        DATABASE_URL=database_url,
        DIGEST_MAX_AGE_HOURS="0",
    )
    assert "Harbour ferry timetable of old" in unbound.stdout
    assert "Jan 2, 2006, " in unbound.stdout
