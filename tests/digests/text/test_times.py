"""Article times as readers see them: how long ago under a day, then the date, with the year
whenever it is not this year."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _age(renderer, moment, language="en"):
    env = renderer.environment(language)
    return env.from_string("{{ moment|age(now, 'Europe/Warsaw') }}").render(moment=moment, now=NOW)


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (NOW - timedelta(hours=3), "3 hours ago"),
        (NOW - timedelta(hours=23, minutes=50), "24 hours ago"),
        (NOW - timedelta(days=3), "Nov 27"),
        (datetime(2006, 1, 2, 15, 25, tzinfo=UTC), "Jan 2, 2006"),
        (datetime(2025, 12, 31, 23, 30, tzinfo=UTC), "Jan 1"),  # 00:30 in Warsaw, 2026
    ],
)
def test_age_is_relative_only_under_a_day(renderer, moment, shown):
    assert _age(renderer, moment) == shown


def test_age_in_polish_has_the_year_too(renderer):
    assert _age(renderer, datetime(2006, 1, 2, 15, 25, tzinfo=UTC), "pl") == "2 sty 2006"


def test_a_digest_item_from_another_year_shows_the_year(renderer):
    env = renderer.environment("en")
    shown = env.from_string("{{ moment|local_time('UTC', now) }}")
    assert shown.render(moment=datetime(2006, 1, 2, 15, 25, tzinfo=UTC), now=NOW) == (
        "Jan 2, 2006, 15:25"
    )
    assert shown.render(moment=datetime(2026, 1, 2, 15, 25, tzinfo=UTC), now=NOW) == (
        "Jan 2, 15:25"
    )
    assert shown.render(moment=NOW - timedelta(hours=1), now=NOW) == "11:00"
