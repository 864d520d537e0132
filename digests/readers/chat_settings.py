"""Changing a chat's settings; every schedule change moves its next digest moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from digests.models import Chat, Frequency
from digests.readers.chats import reschedule

SECOND_DIGEST = "19:00"


@dataclass(frozen=True)
class SettingsView:
    """A chat's settings as the /settings screen shows them."""

    times: list[str]
    timezone: str
    frequency: str  # daily, twice, weekly, off
    weekly_day: int | None
    alerts: bool
    quiet: tuple[str, str] | None
    previews: bool
    next_at: datetime | None


def frequency_name(chat: Chat) -> str:
    """daily, twice, weekly or off, as the reader chose it."""
    if chat.frequency is Frequency.DAILY and len(chat.digest_times) > 1:
        return "twice"
    return chat.frequency.value


def view_of(chat: Chat) -> SettingsView:
    """The settings of a chat."""
    quiet = (chat.quiet_start, chat.quiet_end) if chat.quiet_start and chat.quiet_end else None
    return SettingsView(
        times=list(chat.digest_times),
        timezone=chat.timezone,
        frequency=frequency_name(chat),
        weekly_day=chat.weekly_day,
        alerts=chat.alerts_enabled,
        quiet=quiet,
        previews=chat.link_previews,
        next_at=chat.next_digest_at,
    )


def set_digest_times(chat: Chat, times: list[str], *, now: datetime) -> None:
    """Digest times (already validated); turns digests back on when they were off."""
    chat.digest_times = list(times)
    if chat.frequency is Frequency.OFF:
        chat.frequency = Frequency.DAILY
    reschedule(chat, now=now)


def set_timezone(chat: Chat, timezone: str, *, now: datetime) -> None:
    """The zone the digest times are read in."""
    chat.timezone = timezone
    reschedule(chat, now=now)


# What set_frequency() accepts ("weekly" needs a weekday too).
FREQUENCY_CHOICES = frozenset({"daily", "twice", "weekly", "off"})


def set_frequency(chat: Chat, choice: str, *, now: datetime, weekday: int | None = None) -> None:
    """daily (one time), twice (two times), weekly (on a weekday) or off."""
    first = sorted(chat.digest_times)[0] if chat.digest_times else "08:00"
    if choice == "off":
        chat.frequency = Frequency.OFF
    elif choice == "weekly":
        if weekday is None or not 0 <= weekday <= 6:
            raise ValueError("weekly digests need a weekday 0-6")
        chat.frequency, chat.weekly_day, chat.digest_times = Frequency.WEEKLY, weekday, [first]
    elif choice == "twice":
        second = sorted(chat.digest_times)[1] if len(chat.digest_times) > 1 else SECOND_DIGEST
        chat.frequency = Frequency.DAILY
        chat.digest_times = sorted({first, second if second != first else "20:00"})
    elif choice == "daily":
        chat.frequency, chat.digest_times = Frequency.DAILY, [first]
    else:
        raise ValueError(f"unknown frequency {choice!r}")
    reschedule(chat, now=now)


def set_quiet_hours(chat: Chat, quiet: tuple[str, str] | None) -> None:
    """Hours in which breaking alerts arrive silently (None: never)."""
    chat.quiet_start, chat.quiet_end = quiet if quiet else (None, None)


def toggle_alerts(chat: Chat) -> bool:
    """Breaking alerts on/off; returns the new state."""
    chat.alerts_enabled = not chat.alerts_enabled
    return chat.alerts_enabled


def toggle_previews(chat: Chat) -> bool:
    """Link previews under digest items on/off; returns the new state."""
    chat.link_previews = not chat.link_previews
    return chat.link_previews
