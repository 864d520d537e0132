"""Settings changes move the next digest as the reader expects."""

from __future__ import annotations

from datetime import UTC, datetime

from digests.models import Chat, Frequency
from digests.readers.chat_settings import (
    set_digest_times,
    set_frequency,
    set_quiet_hours,
    set_timezone,
    toggle_alerts,
    view_of,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday


def chat() -> Chat:
    return Chat(
        telegram_id=1,
        timezone="Europe/Warsaw",
        digest_times=["08:00"],
        frequency=Frequency.DAILY,
        alerts_enabled=True,
        link_previews=False,
    )


def test_new_times_and_zone_reschedule():
    c = chat()
    set_digest_times(c, ["07:30", "18:00"], now=NOW)
    assert c.next_digest_at == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # 18:00 CET
    set_timezone(c, "Asia/Kathmandu", now=NOW)
    assert c.next_digest_at == datetime(2026, 11, 30, 12, 15, tzinfo=UTC)  # 18:00 NPT
    assert view_of(c).frequency == "twice"


def test_frequency_choices():
    c = chat()
    set_frequency(c, "twice", now=NOW)
    assert c.digest_times == ["08:00", "19:00"]
    set_frequency(c, "weekly", weekday=4, now=NOW)
    assert (c.frequency, c.digest_times, c.weekly_day) == (Frequency.WEEKLY, ["08:00"], 4)
    assert c.next_digest_at == datetime(2026, 12, 4, 7, 0, tzinfo=UTC)  # Friday 08:00 CET
    set_frequency(c, "off", now=NOW)
    assert c.next_digest_at is None
    set_digest_times(c, ["09:00"], now=NOW)  # choosing a time turns digests back on
    assert c.frequency is Frequency.DAILY and c.next_digest_at is not None


def test_quiet_hours_and_alerts():
    c = chat()
    set_quiet_hours(c, ("22:00", "07:00"))
    assert view_of(c).quiet == ("22:00", "07:00")
    set_quiet_hours(c, None)
    assert view_of(c).quiet is None
    assert toggle_alerts(c) is False and toggle_alerts(c) is True
