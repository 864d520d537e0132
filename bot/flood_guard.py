"""A per-user token bucket (pure; the clock is injected)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class FloodGuard:
    """A token bucket per user: `burst` actions at once, refilled at `rate` per second."""

    rate: float
    burst: int
    mute_seconds: float
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[int, tuple[float, float]] = field(default_factory=dict)
    _muted_until: dict[int, float] = field(default_factory=dict)

    def check(self, user_id: int) -> str:
        """'ok', 'warn' (first action over the limit) or 'ignore' (while muted)."""
        now = self.clock()
        if self._muted_until.get(user_id, 0.0) > now:
            return "ignore"
        tokens, last = self._buckets.get(user_id, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self._muted_until[user_id] = now + self.mute_seconds
            self._buckets.pop(user_id, None)
            return "warn"
        self._buckets[user_id] = (tokens - 1.0, now)
        if len(self._buckets) > 100_000:
            # Forget the quietest half; memory stays bounded under a flood of users.
            for key in list(self._buckets)[:50_000]:
                del self._buckets[key]
        return "ok"
