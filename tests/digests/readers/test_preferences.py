"""What readers type into settings: accepted forms, and everything else refused with a reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digests.errors import PreferenceError
from digests.readers.preferences import (
    in_quiet_hours,
    parse_digest_times,
    parse_quiet_hours,
    parse_weekday,
    resolve_timezone,
    timezone_at,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("08:00", ["08:00"]),
        ("8:00 19:30", ["08:00", "19:30"]),
        ("19.30, 8:00, 08:00", ["08:00", "19:30"]),
    ],
)
def test_digest_times(text, times):
    assert parse_digest_times(text) == times


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("25:99", "bad_time"),
        ("8", "bad_time"),
        ("noon", "bad_time"),
        ("", "bad_times_count"),
        ("1:00 2:00 3:00 4:00 5:00", "bad_times_count"),
    ],
)
def test_bad_digest_times(text, code):
    with pytest.raises(PreferenceError) as caught:
        parse_digest_times(text)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/Warsaw", "Europe/Warsaw"),
        ("europe/warsaw", "Europe/Warsaw"),
        ("Warsaw", "Europe/Warsaw"),
        ("new york", "America/New_York"),
        ("UTC", "UTC"),
        ("UTC+2", "Etc/GMT-2"),
        ("GMT-3", "Etc/GMT+3"),
        ("+05:45", "Asia/Kathmandu"),
        ("UTC-3:30", "America/St_Johns"),
    ],
)
def test_timezones_by_name_city_or_offset(text, zone):
    assert resolve_timezone(text, now=NOW) == zone


@pytest.mark.parametrize("text", ["Mars/Olympus", "Atlantis", "UTC+25", "+03:17", "", "x" * 100])
def test_unknown_timezones(text):
    with pytest.raises(PreferenceError) as caught:
        resolve_timezone(text, now=NOW)
    assert caught.value.code == "unknown_timezone"


def test_timezone_from_a_shared_location():
    assert timezone_at(52.23, 21.01) == "Europe/Warsaw"
    assert timezone_at(27.7, 85.3) == "Asia/Kathmandu"
    with pytest.raises(PreferenceError):
        timezone_at(123, 0)


def test_quiet_hours_across_midnight():
    quiet = parse_quiet_hours("22:00-07:00")
    assert quiet == ("22:00", "07:00")
    assert in_quiet_hours(datetime(2026, 11, 30, 22, 30, tzinfo=UTC), "UTC", quiet)
    assert in_quiet_hours(datetime(2026, 11, 30, 6, 59, tzinfo=UTC), "UTC", quiet)
    assert not in_quiet_hours(datetime(2026, 11, 30, 7, 0, tzinfo=UTC), "UTC", quiet)
    assert not in_quiet_hours(datetime(2026, 11, 30, 12, 0, tzinfo=UTC), "UTC", None)
    assert parse_quiet_hours("off") is None
    for bad in ("22:00", "22:00-22:00", "late-early"):
        with pytest.raises(PreferenceError):
            parse_quiet_hours(bad)


@pytest.mark.parametrize(("text", "day"), [("fri", 4), ("Friday", 4), ("0", 0), ("SUN", 6)])
def test_weekdays(text, day):
    assert parse_weekday(text) == day


def test_bad_weekday():
    with pytest.raises(PreferenceError):
        parse_weekday("someday")
