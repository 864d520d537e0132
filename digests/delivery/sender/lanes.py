"""What the sender holds in memory: one lane of claimed rows per chat, and its counters."""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from digests.delivery.sender.claims import Claimed


@dataclass
class ChatLane:
    """One chat's rows in memory, best first, and whether a request to it is in flight."""

    chat_id: int
    telegram_id: int
    group: bool
    rows: list[tuple[int, int, Claimed]] = field(default_factory=list)
    busy: bool = False

    def push(self, row: Claimed) -> None:
        """Queue a row; alerts overtake digests, parts keep their order."""
        heapq.heappush(self.rows, (row.priority, row.id, row))

    def head(self) -> tuple[int, int]:
        """The ordering key of the best row."""
        priority, row_id, _ = self.rows[0]
        return priority, row_id


@dataclass
class SenderStats:
    """Counters for logs and benchmarks."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    floods: int = 0
    migrations: int = 0
    plain_text: int = 0
    recovered: int = 0


class Waker:
    """An event to wait on with a timeout measured by the sender's own `sleep` (its clock)."""

    def __init__(self, sleep: Callable[[float], Awaitable[None]]) -> None:
        self.sleep = sleep
        self._event = asyncio.Event()

    def set(self) -> None:
        """Wake the waiter now."""
        self._event.set()

    async def wait(self, timeout: float | None) -> None:
        """Until woken, or until `timeout` has passed on the sender's clock."""
        self._event.clear()
        if timeout is None:
            await self._event.wait()
            return
        timer = asyncio.ensure_future(self.sleep(max(timeout, 0.0)))
        timer.add_done_callback(self._timer_done)
        try:
            await self._event.wait()
        finally:
            timer.cancel()

    def _timer_done(self, timer: asyncio.Future[None]) -> None:
        if not timer.cancelled():  # a timer cut short by an earlier wake-up wakes nobody
            self._event.set()
