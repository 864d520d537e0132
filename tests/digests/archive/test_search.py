"""search() on both databases: syntax is always safe, results ranked with snippets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digests.archive.search import MARK_START, search
from digests.archive.search_query import parse_query, to_fts5, to_websearch
from digests.db import session_scope
from digests.ingest.entries import EntryData
from digests.ingest.store import EnrichSettings, Pipeline
from tests.digests.ingest.test_store import _store

NOW = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)


def entry(n: int, title: str, text: str, age_days: float, categories=()) -> EntryData:
    return EntryData(
        title=title,
        url=f"https://s.example.com/{n}",
        text=text,
        published_at=NOW - timedelta(days=age_days),
        categories=categories,
    )


ARCHIVE = [
    entry(1, "Flood warning for the river valley", "Heavy rain brings a flood warning.", 1),
    entry(2, "Old flood report", "A flood hit the valley years ago.", 300),
    entry(
        3, "Election night results", "The election ended with a narrow result.", 2, ("Politics",)
    ),
    entry(4, "Football: flood of goals", "A football match with seven goals.", 1, ("Sport",)),
]


@pytest.fixture
async def archive(sessionmaker):
    await _store(sessionmaker, ARCHIVE, Pipeline(EnrichSettings()))
    return sessionmaker


def test_translation_of_user_syntax():
    parsed = parse_query('"river valley" flood OR rain -football -"old news"')
    assert to_fts5(parsed) == '"river valley" AND ("flood" OR "rain") NOT "football" NOT "old news"'
    assert to_websearch(parsed) == '"river valley" "flood" OR "rain" -"football" -"old news"'
    assert parse_query("-only -negatives").empty


async def _urls(sessionmaker, query, **kwargs):
    async with session_scope(sessionmaker) as session:
        return [h.url for h in await search(session=session, query=query, now=NOW, **kwargs)]


async def test_ranked_by_relevance_and_recency_with_snippets(archive):
    async with session_scope(archive) as session:
        hits = await search(session=archive_session(session), query="flood", now=NOW)
    assert [h.url for h in hits][:2] == ["https://s.example.com/1", "https://s.example.com/4"]
    assert hits[-1].url == "https://s.example.com/2"  # the old one last
    assert MARK_START in hits[0].snippet
    assert ("flood", True) in [(t.lower(), h) for t, h in hits[0].snippet_segments()]


def archive_session(session):
    return session


async def test_phrase_exclusion_topic_and_since(archive):
    assert await _urls(archive, '"flood warning"') == ["https://s.example.com/1"]
    assert "https://s.example.com/4" not in await _urls(archive, "flood -football")
    assert await _urls(archive, "flood", topic="sport") == ["https://s.example.com/4"]
    assert "https://s.example.com/2" not in await _urls(
        archive, "flood", since=NOW - timedelta(days=30)
    )
    assert await _urls(archive, "election OR football") != []


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
    | st.sampled_from(
        [
            '"',
            '"unclosed',
            "NEAR(a b)",
            "a AND OR NOT",
            "*",
            "col:value",
            "^x",
            "-",
            "--x",
            "(((",
            "' OR 1=1 --",
            "\\",
        ]
    )
)
async def test_no_user_input_raises(archive, query):
    async with session_scope(archive) as session:
        hits = await search(session=session, query=query, now=NOW)
    # An answer (perhaps empty), never an SQL or FTS syntax error.
    assert isinstance(hits, list) and len(hits) <= 10


# Stored oldest first, as a feed's items arrive over time.
NEWEST = [
    entry(100 + n, f"Flood bulletin {n}", "River levels and a flood.", n, ("Sport",) * (n % 2))
    for n in reversed(range(12))
]


@pytest.mark.parametrize("walk", ["newest first", "index first"])
async def test_candidates_are_the_newest_matches_whichever_plan(sessionmaker, monkeypatch, walk):
    # Relevance is scored among the newest CANDIDATES matches; on PostgreSQL both ways of
    # finding them (walking newest first, or the index's matches) must find the same ones.
    import digests.archive.search as module

    monkeypatch.setattr(module, "CANDIDATES", 4)
    monkeypatch.setattr(module, "INDEX_ROW_COST", 1e9 if walk == "newest first" else 0.0)
    await _store(sessionmaker, NEWEST, Pipeline(EnrichSettings()))
    newest = {f"https://s.example.com/{100 + n}" for n in range(4)}
    assert set(await _urls(sessionmaker, "flood")) == newest
    sport = {f"https://s.example.com/{100 + n}" for n in (1, 3, 5, 7)}
    assert set(await _urls(sessionmaker, "flood", topic="sport")) == sport
    assert set(await _urls(sessionmaker, "flood", since=NOW - timedelta(days=2.5))) == {
        f"https://s.example.com/{100 + n}" for n in range(3)
    }


async def test_an_edited_article_is_found_by_its_new_words(sessionmaker):
    await _store(sessionmaker, ARCHIVE, Pipeline(EnrichSettings()))
    edited = entry(1, "Drought warning for the river valley", "No rain in weeks.", 1)
    await _store(sessionmaker, [edited], Pipeline(EnrichSettings()))
    assert await _urls(sessionmaker, "drought") == ["https://s.example.com/1"]
    assert "https://s.example.com/1" not in await _urls(sessionmaker, "flood")
