"""Keyword filters: what a phrase matches, and what a chat keeps of them."""

from __future__ import annotations

import pytest

from digests.db import session_scope
from digests.errors import FilterLimit
from digests.models import utcnow
from digests.readers.filters import (
    EXCLUDE,
    INCLUDE,
    MAX_FILTERS,
    FilterSet,
    add_filters,
    chat_filters,
    clear_filters,
    parse_phrases,
    remove_filter,
)
from tests.factories import add_chat


def test_phrases_are_words_or_quoted_and_commas_separate_too():
    assert parse_phrases('football, "Transfer  window" “Premier League”') == [
        "football",
        "transfer window",
        "premier league",
    ]
    assert parse_phrases(" ,, ") == []
    assert parse_phrases("x" * 500) == ["x" * 100]


@pytest.mark.parametrize(
    ("phrase", "title", "language", "matches"),
    [
        ("football", "FOOTBALL: Rovers win", "en", True),
        ("match", "Three matches postponed", "en", True),  # stemmed
        ("ball", "Football cup final", "en", False),  # whole words only
        ("cafe", "New café opens", "fr", True),  # accents ignored
        ("Zürich", "Zurich airport reopens", "de", True),
        ("transfer window", "The window for a transfer", "en", False),  # a phrase in order
        ("transfer window", "Transfer windows close tonight", "en", True),
        ("fußball", "Fußballer des Jahres", "xx", False),  # no stemmer: exact words only
        ("(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "en", False),  # never a pattern
    ],
)
def test_a_phrase_matches_whole_words_of_the_title_or_summary(phrase, title, language, matches):
    [parsed] = parse_phrases(f'"{phrase}"')
    assert FilterSet(exclude=(parsed,)).allows(title, "", language) is not matches


def test_include_keeps_only_matching_items_and_exclude_wins():
    filters = FilterSet(exclude=("football",), include=("cup",))
    assert filters.allows("Cup final tonight", "", "en")
    assert not filters.allows("Election results", "", "en")
    assert not filters.allows("Cup final tonight", "A football classic.", "en")
    assert FilterSet(include=("cup",)).allows_alert("Earthquake hits the coast", "en")
    assert not filters.allows_alert("Football stadium evacuated", "en")


async def test_a_chats_filters_are_added_once_removed_and_capped(sessionmaker):
    async with session_scope(sessionmaker) as session:
        chat = await add_chat(session, 700)
        now = utcnow()
        added = await add_filters(
            session=session, chat_id=chat.id, kind=EXCLUDE, phrases=["football", "cup"], now=now
        )
        assert added == ["football", "cup"]
        again = await add_filters(
            session=session, chat_id=chat.id, kind=EXCLUDE, phrases=["cup"], now=now
        )
        assert again == []
        await add_filters(session=session, chat_id=chat.id, kind=INCLUDE, phrases=["x"], now=now)
        await remove_filter(session=session, chat_id=chat.id, kind=EXCLUDE, phrase="cup")
        assert await chat_filters(session=session, chat_id=chat.id) == FilterSet(
            exclude=("football",), include=("x",)
        )
        too_many = [f"w{n}" for n in range(MAX_FILTERS)]
        with pytest.raises(FilterLimit):
            await add_filters(
                session=session, chat_id=chat.id, kind=EXCLUDE, phrases=too_many, now=now
            )
        await clear_filters(session=session, chat_id=chat.id)
        assert not await chat_filters(session=session, chat_id=chat.id)
