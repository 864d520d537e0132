"""Due times across DST changes and odd offsets: the local wall clock is what counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digests.errors import PreferenceError
from digests.models import Frequency
from digests.readers.schedule import next_digest_at, parse_local_time


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # Warsaw is UTC+1 in winter, UTC+2 in summer; clocks go forward on 2026-03-29.
        (utc(2026, 3, 28, 8, 0), "2026-03-29 08:00 CEST"),
        (utc(2026, 3, 29, 7, 0), "2026-03-30 08:00 CEST"),
        # ... and back on 2026-10-25.
        (utc(2026, 10, 24, 6, 0), "2026-10-25 08:00 CET"),
        (utc(2026, 10, 25, 7, 0), "2026-10-26 08:00 CET"),
    ],
)
def test_eight_oclock_in_warsaw_stays_eight_oclock_across_dst(after, expected):
    moment = next_digest_at(
        timezone="Europe/Warsaw", times=["08:00"], frequency=Frequency.DAILY, after=after
    )
    assert local(moment, "Europe/Warsaw") == expected


def test_the_utc_instant_moves_by_an_hour_when_the_clocks_change():
    before = next_digest_at(
        timezone="Europe/Warsaw",
        times=["08:00"],
        frequency=Frequency.DAILY,
        after=utc(2026, 3, 28, 0, 0),
    )
    after = next_digest_at(
        timezone="Europe/Warsaw", times=["08:00"], frequency=Frequency.DAILY, after=before
    )
    assert (before, after) == (utc(2026, 3, 28, 7, 0), utc(2026, 3, 29, 6, 0))


@pytest.mark.parametrize(
    ("zone", "expected_utc"),
    [
        ("Asia/Kathmandu", utc(2026, 6, 1, 2, 15)),  # UTC+5:45
        ("America/St_Johns", utc(2026, 1, 15, 11, 30)),  # UTC-3:30 in winter
        ("Pacific/Chatham", utc(2026, 6, 1, 19, 15)),  # UTC+12:45 in (southern) winter
    ],
)
def test_odd_offsets(zone, expected_utc):
    after = (
        expected_utc.replace(hour=0, minute=0)
        if zone != "Pacific/Chatham"
        else utc(2026, 6, 1, 0, 0)
    )
    moment = next_digest_at(timezone=zone, times=["08:00"], frequency=Frequency.DAILY, after=after)
    assert moment == expected_utc
    assert moment.astimezone(ZoneInfo(zone)).strftime("%H:%M") == "08:00"


def test_twice_daily_picks_the_next_slot_of_the_day():
    zone = "Europe/Warsaw"
    morning = next_digest_at(
        timezone=zone,
        times=["19:00", "08:00"],
        frequency=Frequency.DAILY,
        after=utc(2026, 11, 30, 6, 0),
    )
    evening = next_digest_at(
        timezone=zone, times=["19:00", "08:00"], frequency=Frequency.DAILY, after=morning
    )
    assert [local(morning, zone), local(evening, zone)] == [
        "2026-11-30 08:00 CET",
        "2026-11-30 19:00 CET",
    ]


def test_weekly_on_a_chosen_day():
    # 2026-11-30 is a Monday; Friday is weekday 4.
    moment = next_digest_at(
        timezone="America/New_York",
        times=["18:30"],
        frequency=Frequency.WEEKLY,
        weekly_day=4,
        after=utc(2026, 11, 30, 12, 0),
    )
    assert local(moment, "America/New_York") == "2026-12-04 18:30 EST"
    again = next_digest_at(
        timezone="America/New_York",
        times=["18:30"],
        frequency=Frequency.WEEKLY,
        weekly_day=4,
        after=moment,
    )
    assert local(again, "America/New_York") == "2026-12-11 18:30 EST"


def test_off_means_no_digest():
    assert (
        next_digest_at(
            timezone="UTC", times=["08:00"], frequency=Frequency.OFF, after=utc(2026, 1, 1)
        )
        is None
    )


def test_a_time_in_the_spring_gap_is_delivered_when_the_gap_ends():
    # New York skips 02:00-03:00 on 2026-03-08.
    moment = next_digest_at(
        timezone="America/New_York",
        times=["02:30"],
        frequency=Frequency.DAILY,
        after=utc(2026, 3, 8, 0, 0),
    )
    assert local(moment, "America/New_York") == "2026-03-08 03:00 EDT"


def test_a_repeated_autumn_time_is_delivered_once():
    zone = "America/New_York"  # 01:00-02:00 happens twice on 2026-11-01
    first = next_digest_at(
        timezone=zone, times=["01:30"], frequency=Frequency.DAILY, after=utc(2026, 11, 1, 0, 0)
    )
    second = next_digest_at(timezone=zone, times=["01:30"], frequency=Frequency.DAILY, after=first)
    assert local(first, zone) == "2026-11-01 01:30 EDT"
    assert local(second, zone) == "2026-11-02 01:30 EST"


@pytest.mark.parametrize("text", ["25:99", "8", "08:60", "", "noon", "24:00"])
def test_bad_times_are_rejected(text):
    with pytest.raises(PreferenceError):
        parse_local_time(text)


@given(
    zone=st.sampled_from(
        [
            "Europe/Warsaw",
            "America/New_York",
            "Australia/Lord_Howe",
            "Asia/Kathmandu",
            "America/St_Johns",
            "UTC",
            "Pacific/Apia",
        ]
    ),
    after=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
    ),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
)
def test_next_moment_is_within_a_day_and_shows_the_chosen_time(zone, after, hour, minute):
    moment = next_digest_at(
        timezone=zone, times=[f"{hour:02d}:{minute:02d}"], frequency=Frequency.DAILY, after=after
    )
    assert after < moment <= after + timedelta(hours=25)
    shown = moment.astimezone(ZoneInfo(zone))
    if (shown.hour, shown.minute) != (hour, minute):
        # Only a time skipped by the clocks moves, and then to the instant they jump.
        just_before = (moment - timedelta(seconds=1)).astimezone(ZoneInfo(zone))
        assert just_before.utcoffset() != shown.utcoffset()
