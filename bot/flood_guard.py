"""A per-user token bucket (pure; the clock is injected), bounded in memory under any flood."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class FloodGuard:
    """A token bucket per user: `burst` actions at once, refilled at `rate` per second.

    It remembers only users it still needs: a bucket until it would be full again, a mute until
    it ends, and at most `max_users` of each; past that the least recently active go first.
    """

    rate: float
    burst: int
    mute_seconds: float
    clock: Callable[[], float] = time.monotonic
    max_users: int = 100_000
    # Both are ordered oldest first (last action; mute start), so forgetting looks at the front.
    _buckets: OrderedDict[int, tuple[float, float]] = field(default_factory=OrderedDict)
    _muted_until: OrderedDict[int, float] = field(default_factory=OrderedDict)

    @property
    def remembered_users(self) -> int:
        """How many users the guard holds state for (at most twice `max_users`)."""
        return len(self._buckets) + len(self._muted_until)

    def check(self, user_id: int) -> str:
        """'ok', 'warn' (first action over the limit) or 'ignore' (while muted)."""
        now = self.clock()
        self._forget(now)
        if self._muted_until.get(user_id, now) > now:
            return "ignore"
        self._muted_until.pop(user_id, None)
        tokens, last = self._buckets.pop(user_id, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self._muted_until[user_id] = now + self.mute_seconds
            return "warn"
        self._buckets[user_id] = (tokens - 1.0, now)
        return "ok"

    def _forget(self, now: float) -> None:
        # A bucket idle long enough to refill is the same as no bucket; an ended mute is none.
        refill_seconds = self.burst / self.rate
        while self._buckets and (
            len(self._buckets) >= self.max_users
            or now - next(iter(self._buckets.values()))[1] >= refill_seconds
        ):
            self._buckets.popitem(last=False)
        while self._muted_until and (
            len(self._muted_until) >= self.max_users
            or next(iter(self._muted_until.values())) <= now
        ):
            self._muted_until.popitem(last=False)
