"""The pacer keeps Telegram's limits ahead of time, whatever the clock does."""

from __future__ import annotations

from bisect import bisect_left

from digests.delivery.sender import Limits, Pacer


def most_in_any_window(times: list[float], window: float) -> int:
    """The most events in any half-open window [t, t + window)."""
    times = sorted(times)
    return max(bisect_left(times, t + window) - i for i, t in enumerate(times))


def run_overall(pacer: Pacer, *, seconds: float, lateness: float = 0.0) -> list[float]:
    """Dispatch whenever allowed, waking `lateness` after each allowed moment."""
    now, sent = 0.0, []
    while now < seconds:
        wait = pacer.overall_wait(now)
        if wait > 0:
            now += wait + lateness
            continue
        pacer.take_overall(now)
        sent.append(now)
    return sent


def test_thirty_per_second_is_reached_and_never_exceeded():
    for lateness in (0.0, 0.0007, 0.004, 0.02):
        sent = run_overall(Pacer(Limits(rate=30)), seconds=20, lateness=lateness)
        assert most_in_any_window(sent, 1.0) <= 30
        if lateness < 0.005:  # a wake-up that late keeps its slot
            assert len(sent) / 20 >= 0.95 * 30


def test_paid_broadcast_allows_a_thousand_per_second():
    pacer = Pacer(Limits(rate=30, paid_broadcast=True, paid_rate=1000))
    sent = run_overall(pacer, seconds=3, lateness=0.0005)
    # Headroom grows with the rate (the sender's own loop bunches requests more): ~95.7% here.
    assert len(sent) / 3 >= 0.95 * 1000 and most_in_any_window(sent, 1.0) <= 1000


def test_a_pause_holds_everything_until_it_ends():
    pacer = Pacer(Limits(rate=30))
    pacer.take_overall(0.0)
    pacer.pause(5.0)
    assert pacer.overall_wait(1.0) == 4.0
    assert pacer.overall_wait(5.0) <= 0


def test_one_message_per_second_per_chat():
    pacer = Pacer(Limits(chat_interval=1.0))
    pacer.take_chat(7, group=False, now=10.0)
    assert 11.0 < pacer.chat_ready_at(7, group=False) < 11.05
    assert pacer.chat_ready_at(8, group=False) < 0  # another chat is not held up


def test_twenty_per_minute_per_group():
    pacer = Pacer(Limits(chat_interval=1.0, group_per_minute=20))
    now, sent = 0.0, []
    while now < 180:
        ready = pacer.chat_ready_at(-5, group=True)
        if ready > now:
            now = ready
            continue
        pacer.take_chat(-5, group=True, now=now)
        sent.append(now)
    assert most_in_any_window(sent, 60.0) <= 20 and len(sent) >= 55
    assert min(b - a for a, b in zip(sent, sent[1:], strict=False)) >= 1.0


def test_forgetting_old_chats_keeps_recent_ones():
    pacer = Pacer(Limits())
    pacer.take_chat(1, group=True, now=0.0)
    pacer.take_chat(2, group=True, now=100.0)
    pacer.forget_before(100.0)
    assert pacer.chat_ready_at(1, group=True) < 0 < pacer.chat_ready_at(2, group=True)
