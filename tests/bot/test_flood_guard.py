"""The per-user token bucket on a simulated clock: limits, mutes, and when a bucket may go."""

from __future__ import annotations

from bot.flood_guard import Bucket, FloodRule

RULE = FloodRule(rate=1.0, burst=2, mute_seconds=10.0)


def run(rule: FloodRule, times: list[float], bucket: Bucket | None = None) -> list[str]:
    """The verdicts for one user acting at each of `times`."""
    verdicts = []
    for now in times:
        verdict, bucket = rule.check(bucket, now)
        verdicts.append(verdict)
    return verdicts


def test_a_burst_then_one_warning_then_silence_until_the_mute_ends() -> None:
    assert run(RULE, [0, 0, 0, 0, 0, 9.9, 10.0, 10.0, 10.0]) == [
        "ok", "ok", "warn", "ignore", "ignore", "ignore",
        # The mute is over and the bucket starts full again.
        "ok", "ok", "warn",
    ]  # fmt: skip


def test_tokens_come_back_at_the_rate() -> None:
    rule = FloodRule(rate=2.0, burst=2, mute_seconds=10.0)
    # Half a second at 2/s is one token.
    assert run(rule, [0, 0, 0.5, 0.5]) == ["ok", "ok", "ok", "warn"]


def test_a_bucket_may_be_forgotten_once_it_is_full_again_or_its_mute_is_over() -> None:
    _, bucket = RULE.check(None, 100.0)
    assert RULE.forgettable_at(bucket) == 101.0  # one token spent, back in a second
    # Forgetting it then is the same as keeping it: a full bucket either way.
    assert RULE.check(None, 101.0)[1] == RULE.check(bucket, 101.0)[1]
    bucket = Bucket(tokens=0.0, at=100.0)
    verdict, muted = RULE.check(bucket, 100.0)
    assert verdict == "warn" and RULE.forgettable_at(muted) == 110.0
