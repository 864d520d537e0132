"""A per-user token bucket (pure: the caller passes the bucket and the time, gets both back)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bucket:
    """One user's tokens at time `at` (epoch seconds), and the end of a mute if muted."""

    tokens: float
    at: float
    muted_until: float = 0.0


@dataclass(frozen=True)
class FloodRule:
    """`burst` actions at once, refilled at `rate` per second; over that, a mute."""

    rate: float
    burst: int
    mute_seconds: float

    def check(self, bucket: Bucket | None, now: float) -> tuple[str, Bucket]:
        """'ok', 'warn' (the first action over the limit) or 'ignore' (while muted)."""
        if bucket is not None and bucket.muted_until > now:
            return "ignore", bucket
        if bucket is None or bucket.muted_until:  # new, or a mute just ended: a full bucket
            tokens = float(self.burst)
        else:
            tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.rate)
        if tokens < 1.0:
            return "warn", Bucket(tokens=tokens, at=now, muted_until=now + self.mute_seconds)
        return "ok", Bucket(tokens=tokens - 1.0, at=now)

    def forgettable_at(self, bucket: Bucket) -> float:
        """When keeping the bucket stops mattering: it is full again and any mute is over."""
        full_at = bucket.at + (self.burst - bucket.tokens) / self.rate
        return max(full_at, bucket.muted_until)
