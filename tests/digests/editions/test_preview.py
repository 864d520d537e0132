"""The digest preview a newcomer sees in the terminal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from digests.db import session_scope
from digests.editions.preview import PreviewError, parse_duration, preview_digest, to_terminal
from digests.text.render import Renderer
from tests.factories import add_article, add_topics

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


async def test_preview_shows_the_chosen_topics_from_the_archive(sessionmaker):
    async with session_scope(sessionmaker) as session:
        topics = await add_topics(session, "world", "tech")
        await add_article(
            session,
            1,
            topics={topics["world"]: 1},
            title="Summit opens",
            fetched_at=NOW - timedelta(hours=2),
        )
        await add_article(
            session,
            2,
            topics={topics["tech"]: 1},
            title="New chip",
            fetched_at=NOW - timedelta(hours=2),
        )
        await add_article(
            session,
            3,
            topics={topics["world"]: 1},
            title="Old news",
            fetched_at=NOW - timedelta(days=3),
        )
    async with session_scope(sessionmaker) as session:
        [message] = await preview_digest(
            session=session,
            renderer=Renderer(),
            now=NOW,
            since=timedelta(hours=24),
            slugs=["world"],
            language="en",
            timezone="Europe/Warsaw",
        )
    text = to_terminal(message, ansi=False)
    assert "Summit opens (https://news.example/1)" in text
    assert "New chip" not in text and "Old news" not in text


async def test_preview_names_unknown_topics(sessionmaker):
    async with session_scope(sessionmaker) as session:
        await add_topics(session, "world")
    async with session_scope(sessionmaker) as session:
        with pytest.raises(PreviewError, match=r"unknown topics: mars \(known: world\)"):
            await preview_digest(
                session=session,
                renderer=Renderer(),
                now=NOW,
                since=timedelta(hours=1),
                slugs=["mars"],
                language="en",
                timezone="UTC",
            )


@pytest.mark.parametrize(("text", "hours"), [("24h", 24), ("90m", 1.5), ("2d", 48), ("1w", 168)])
def test_durations(text, hours):
    assert parse_duration(text) == timedelta(hours=hours)


@pytest.mark.parametrize("text", ["", "0h", "3x", "h", "-1d"])
def test_bad_durations(text):
    with pytest.raises(PreviewError):
        parse_duration(text)
