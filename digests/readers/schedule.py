"""Due-time maths: a chat's next digest moment in UTC from its local schedule (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from digests.errors import PreferenceError
from digests.models import Frequency

LOCAL_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# Far enough to find the next weekly slot whatever the starting weekday.
_DAYS_AHEAD = 8


def parse_local_time(text: str) -> time:
    """'08:00' → time(8, 0); anything else (e.g. '25:99') raises PreferenceError."""
    match = LOCAL_TIME.match(text.strip())
    if not match:
        raise PreferenceError("bad_time", text)
    return time(int(match.group(1)), int(match.group(2)))


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time.

    A time skipped by a spring-forward gap maps to the instant the clock jumps past it (so 02:30
    on the night clocks go 02:00→03:00 is delivered at 03:00 local); a time repeated in autumn
    is taken at its first occurrence.
    """
    naive = datetime.combine(day, at)
    early = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if early.astimezone(zone).replace(tzinfo=None) == naive:
        return early
    # In a gap the two folds read the wall time with the offsets before and after the jump;
    # the jump itself lies between them: bisect for it to the second.
    low = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = early
    low, high = min(low, high), max(low, high)
    offset_before = low.astimezone(zone).utcoffset()
    while (high - low) > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0)


def next_digest_at(
    *,
    timezone: str,
    times: Sequence[str],
    frequency: Frequency,
    after: datetime,
    weekly_day: int | None = None,
) -> datetime | None:
    """The first digest moment strictly after `after` (aware), in UTC; None when digests are off."""
    if frequency is Frequency.OFF or not times:
        return None
    if frequency is Frequency.WEEKLY and (weekly_day is None or not 0 <= weekly_day <= 6):
        # Stored schedules come from buttons that offer 0-6 only: anything else is a bug.
        raise ValueError(f"weekly digests need a weekday 0-6, got {weekly_day!r}")
    zone = ZoneInfo(timezone)
    slots = sorted(parse_local_time(text) for text in times)
    start = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(_DAYS_AHEAD + 1):
        day = start + timedelta(days=offset)
        if frequency is Frequency.WEEKLY and day.weekday() != weekly_day:
            continue
        for slot in slots:
            moment = local_moment(day, slot, zone)
            if moment > after:
                return moment
    raise AssertionError("unreachable: a slot exists within eight days")  # pragma: no cover
