"""The per-user token bucket on a simulated clock: limits, mutes, and memory under a flood."""

from __future__ import annotations

from bot.flood_guard import FloodGuard


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def guard(
    clock: Clock,
    *,
    rate: float = 1.0,
    mute_seconds: float = 10.0,
    max_users: int = 100_000,
) -> FloodGuard:
    """Two actions at once, by default one more per second and a ten-second mute."""
    return FloodGuard(
        rate=rate, burst=2, mute_seconds=mute_seconds, clock=clock, max_users=max_users
    )


def test_a_burst_then_one_warning_then_silence_until_the_mute_ends() -> None:
    clock = Clock()
    flood = guard(clock)
    assert [flood.check(7) for _ in range(5)] == ["ok", "ok", "warn", "ignore", "ignore"]
    clock.now += 9.9
    assert flood.check(7) == "ignore"
    clock.now += 0.1
    # The mute is over and the bucket starts full again.
    assert [flood.check(7) for _ in range(3)] == ["ok", "ok", "warn"]


def test_tokens_come_back_at_the_rate() -> None:
    clock = Clock()
    flood = guard(clock, rate=2.0)
    assert [flood.check(7) for _ in range(2)] == ["ok", "ok"]
    clock.now += 0.5
    assert flood.check(7) == "ok"  # half a second at 2/s is one token
    assert flood.check(7) == "warn"


def test_one_user_flooding_does_not_slow_another() -> None:
    clock = Clock()
    flood = guard(clock)
    assert [flood.check(1) for _ in range(4)] == ["ok", "ok", "warn", "ignore"]
    assert [flood.check(2) for _ in range(2)] == ["ok", "ok"]


def test_memory_stays_bounded_while_every_user_floods() -> None:
    clock = Clock()
    flood = guard(clock, max_users=50, mute_seconds=3600.0)
    most = 0
    for user_id in range(1000):
        assert [flood.check(user_id) for _ in range(3)] == ["ok", "ok", "warn"]
        most = max(most, flood.remembered_users)
        clock.now += 0.01
    assert most <= 2 * 50
    # The newest mutes are the ones kept.
    assert flood.check(999) == "ignore"


def test_users_no_longer_limited_are_forgotten() -> None:
    clock = Clock()
    flood = guard(clock)
    for user_id in range(100):
        flood.check(user_id)  # a bucket each
    for _ in range(3):
        flood.check(500)  # and a mute
    assert flood.remembered_users == 101
    clock.now += 10.0  # buckets refilled (2 s) and the mute over (10 s)
    assert flood.check(501) == "ok"
    assert flood.remembered_users == 1


def test_under_the_bound_a_mute_outlives_the_crowd() -> None:
    clock = Clock()
    flood = guard(clock, max_users=1000)
    for _ in range(3):
        flood.check(1)
    for user_id in range(2, 500):
        assert flood.check(user_id) == "ok"
        clock.now += 0.01
    assert flood.check(1) == "ignore"
