"""Reading what a reader types into settings: times, zones, frequency, quiet hours (pure)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import tzfpy

from digests.errors import PreferenceError
from digests.readers.schedule import parse_local_time

MAX_DIGEST_TIMES = 4
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,;]+")
_TWELVE_HOUR = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)", re.IGNORECASE)
# '8 pm' is one time: the space before am/pm is not a separator.
_SPACED_MERIDIEM = re.compile(r"(\d)\s+([ap]\.?m\b\.?)", re.IGNORECASE)


def _clock_time(piece: str) -> str:
    """'8:00', '20.30', '8am', '8:30pm', '12am' → 'HH:MM'; else PreferenceError."""
    twelve_hour = _TWELVE_HOUR.fullmatch(piece)
    if twelve_hour:
        hour, minute = int(twelve_hour.group(1)), int(twelve_hour.group(2) or 0)
        if not 1 <= hour <= 12:
            raise PreferenceError("bad_time", piece)
        hour = hour % 12 + (12 if twelve_hour.group(3).lower().startswith("p") else 0)
        normalised = f"{hour:02d}:{minute:02d}"
    else:
        normalised = piece.replace(".", ":")
        if re.fullmatch(r"\d:\d\d", normalised):
            normalised = "0" + normalised
    try:
        parse_local_time(normalised)
    except PreferenceError:
        raise PreferenceError("bad_time", piece) from None
    return normalised


def parse_digest_times(text: str) -> list[str]:
    """'8:00, 19:30', '8am 8 pm', '20.30' → sorted 'HH:MM': one to four times, no repeats."""
    joined = _SPACED_MERIDIEM.sub(r"\1\2", text.strip())
    pieces = [piece for piece in _SEPARATORS.split(joined) if piece]
    if not pieces or len(pieces) > MAX_DIGEST_TIMES:
        raise PreferenceError("bad_times_count", text)
    return sorted({_clock_time(piece) for piece in pieces})


def parse_quiet_hours(text: str) -> tuple[str, str] | None:
    """'22:00-07:00' → ('22:00', '07:00'); 'off' → None."""
    if text.strip().lower() in {"off", "none", "-"}:
        return None
    pieces = [piece for piece in re.split(r"\s*(?:-|–|—|to)\s*", text.strip()) if piece]
    if len(pieces) != 2:
        raise PreferenceError("bad_quiet_hours", text)
    start, end = (parse_digest_times(piece)[0] for piece in pieces)
    if start == end:
        raise PreferenceError("bad_quiet_hours", text)
    return start, end


def in_quiet_hours(moment: datetime, timezone: str, quiet: tuple[str, str] | None) -> bool:
    """Whether a moment falls in the chat's quiet hours (which may span midnight)."""
    if quiet is None:
        return False
    local = moment.astimezone(ZoneInfo(timezone)).strftime("%H:%M")
    start, end = quiet
    return start <= local < end if start < end else local >= start or local < end


@cache
def _zones_by_city() -> dict[str, str]:
    zones: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if "/" not in name or name.startswith(("Etc/", "SystemV/", "US/")):
            continue
        city = name.rsplit("/", 1)[1].replace("_", " ").lower()
        zones.setdefault(city, name)
    return zones


@cache
def _zones_by_name() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def _zone_for_offset(sign: str, hours: int, minutes: int, now: datetime) -> str:
    if hours > 14 or minutes >= 60:
        raise PreferenceError("unknown_timezone", f"{sign}{hours}:{minutes:02d}")
    total = timedelta(hours=hours, minutes=minutes) * (-1 if sign in "-−" else 1)
    if minutes == 0:
        # Etc/GMT zones have inverted signs: Etc/GMT-2 is UTC+2.
        return "UTC" if hours == 0 else f"Etc/GMT{'-' if total > timedelta(0) else '+'}{hours}"
    for name in sorted(available_timezones()):
        if name.startswith(("Etc/", "SystemV/")):
            continue
        if now.astimezone(ZoneInfo(name)).utcoffset() == total:
            return name
    raise PreferenceError("unknown_timezone", f"{sign}{hours}:{minutes:02d}")


def resolve_timezone(text: str, *, now: datetime) -> str:
    """An IANA zone from 'Europe/Warsaw', a city ('new york', 'Kathmandu'), or 'UTC+5:45'."""
    cleaned = " ".join(text.strip().split())
    if not cleaned or len(cleaned) > 64:
        raise PreferenceError("unknown_timezone", text)
    if cleaned.upper() in {"UTC", "GMT", "Z"}:
        return "UTC"
    offset = _OFFSET.match(cleaned.replace(" ", ""))
    if offset:
        return _zone_for_offset(
            offset.group(1), int(offset.group(2)), int(offset.group(3) or 0), now
        )
    key = cleaned.lower()
    zone = _zones_by_name().get(key.replace(" ", "_")) or _zones_by_city().get(key)
    if zone is None:
        raise PreferenceError("unknown_timezone", text)
    return zone


def timezone_at(latitude: float, longitude: float) -> str:
    """The IANA zone at a shared location (offline lookup)."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise PreferenceError("bad_location", f"{latitude},{longitude}")
    zone = tzfpy.get_tz(longitude, latitude)
    return zone or "UTC"


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_weekday(text: str) -> int:
    """'fri', 'Friday', '4' (0 = Monday) → 4."""
    cleaned = text.strip().lower()
    if cleaned.isdigit() and 0 <= int(cleaned) <= 6:
        return int(cleaned)
    for number, prefix in enumerate(WEEKDAYS):
        if cleaned.startswith(prefix):
            return number
    raise PreferenceError("bad_weekday", text)
