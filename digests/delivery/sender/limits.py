"""Telegram's sending limits, kept ahead of time: overall rate, per chat, per group.

The pacer is pure: the caller passes the time (a monotonic clock reading) to every call.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

# How much requests may bunch together on their way to Telegram (network, the sender's own
# event loop, busier at high rates, and with several senders the others' loops too): every
# window is kept this much wider than the limit asks, so Telegram never counts one too many.
# 20 ms, plus 2 ms per 100 msg/s: 30/s runs at 29.2/s, the paid 1000/s at 957/s (95.7%).
JITTER = 0.020
JITTER_PER_MESSAGE = 0.00002
# How late a dispatch may be and keep its place on the overall grid (event-loop wake-ups
# are late by up to a millisecond; without this the achieved rate would drift down).
TOLERANCE = 0.005
GROUP_WINDOW = 60.0


@dataclass(frozen=True)
class Limits:
    """The limits to keep: messages per second overall, per chat, per group or channel."""

    rate: float = 30.0
    chat_interval: float = 1.0
    group_per_minute: int = 20
    paid_broadcast: bool = False
    paid_rate: float = 1000.0

    @property
    def overall(self) -> float:
        """The overall messages per second: the paid-broadcast ceiling when that mode is on."""
        return self.paid_rate if self.paid_broadcast else self.rate


class Pacer:
    """Decides when the next message may go, overall and per chat; never reads a clock.

    Overall: dispatches sit on a grid `interval` apart; one dispatched up to TOLERANCE late
    keeps its slot, later ones restart the grid. Any window of 1 s then holds at most
    ceil((1 + TOLERANCE + jitter) * per_second) slots, which the interval keeps ≤ the limit.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.jitter = JITTER + JITTER_PER_MESSAGE * limits.overall
        self.per_second = limits.overall / (1 + TOLERANCE + self.jitter)
        self.interval = 1.0 / self.per_second
        self._next_slot = -math.inf
        self._last_sent: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = {}

    def overall_wait(self, now: float) -> float:
        """Seconds until the next message may go overall (≤ 0: now)."""
        return self._next_slot - now

    def ask(self, ready: int) -> None:
        """`ready` rows wait for the overall rate (the local grid needs no asking)."""

    def take_overall(self, now: float) -> None:
        """Account one dispatch at `now` against the overall rate."""
        self._next_slot = max(self._next_slot, now - TOLERANCE) + self.interval

    def pause(self, until: float) -> None:
        """Send nothing before `until` (a 429's retry_after applies to the whole bot)."""
        self._next_slot = max(self._next_slot, until)

    def chat_ready_at(self, chat: int, *, group: bool) -> float:
        """When the next message to `chat` may go."""
        ready = self._last_sent.get(chat, -math.inf) + self.limits.chat_interval + JITTER
        window = self._group_sends.get(chat) if group else None
        if window is not None and len(window) >= self.limits.group_per_minute:
            ready = max(ready, window[0] + GROUP_WINDOW + JITTER)
        return ready

    def take_chat(self, chat: int, *, group: bool, now: float) -> None:
        """Account one dispatch to `chat` at `now`."""
        self._last_sent[chat] = now
        if group:
            window = self._group_sends.get(chat)
            if window is None:
                window = self._group_sends[chat] = deque(maxlen=self.limits.group_per_minute)
            window.append(now)

    def forget_before(self, now: float) -> None:
        """Drop per-chat history that can no longer delay anything (keeps memory flat)."""
        horizon = now - max(self.limits.chat_interval, GROUP_WINDOW) - 1.0
        self._last_sent = {c: t for c, t in self._last_sent.items() if t > horizon}
        self._group_sends = {c: w for c, w in self._group_sends.items() if w and w[-1] > horizon}
