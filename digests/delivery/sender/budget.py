"""The bot's overall rate shared by every sender on one PostgreSQL database.

Telegram counts messages per bot token, not per process. On PostgreSQL the rate grid of the
pacer (limits.py) lives in one row, `send_budget`: a sender asks for a few slots at a time and
one UPDATE … RETURNING hands out the next ones on the grid, so slots never overlap whoever
asks. A slot is used on time or not at all (late by more than TOLERANCE it is dropped), hence
any 1-second window holds at most as many messages as the local pacer allows itself. A 429
moves the grid past its pause for everyone. Times in the row are the database's clock; each
grant maps them onto this process's monotonic clock.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.db import session_scope
from digests.delivery.sender.config import SenderConfig
from digests.delivery.sender.limits import TOLERANCE, Limits, Pacer

BUDGET_NAME = "bot"
# Slots asked for at once: about this much sending ahead, so a slot is rarely left unused.
GRANT_HORIZON = 0.1
# The database's clock is mapped onto ours by the grant with the shortest round trip seen
# (its error is at most half that trip); a new mapping is taken at least this often.
OFFSET_REFRESH = 600.0
MAX_LEAD = 0.25

_ENSURE = text(
    "INSERT INTO send_budget (name, next_slot, paused_until) VALUES (:name, 0, 0) "
    "ON CONFLICT (name) DO NOTHING"
)
_GRANT = text(
    "WITH clock AS (SELECT EXTRACT(EPOCH FROM clock_timestamp())::float8 AS now) "
    "UPDATE send_budget SET next_slot = "
    "GREATEST(send_budget.next_slot, clock.now + CAST(:lead AS float8), "
    "send_budget.paused_until) + CAST(:span AS float8) "
    "FROM clock WHERE send_budget.name = :name "
    "RETURNING send_budget.next_slot - CAST(:span AS float8) AS first, clock.now AS now, "
    "send_budget.paused_until AS paused_until"
)
_PAUSE = text(
    "WITH clock AS (SELECT EXTRACT(EPOCH FROM clock_timestamp())::float8 AS now) "
    "UPDATE send_budget SET paused_until = "
    "GREATEST(send_budget.paused_until, clock.now + CAST(:s AS float8)) "
    "FROM clock WHERE send_budget.name = :name"
)


class Wakeable(Protocol):
    """What the budget wakes when slots arrive: the dispatcher."""

    def set(self) -> None: ...


@dataclass(frozen=True)
class Grant:
    """Slots granted: the first on this process's monotonic clock, then one per interval.

    `paused_until` is the last 429's pause, which every sender keeps (same clock).
    """

    first: float
    count: int
    paused_until: float = -math.inf


class SharedPacer(Pacer):
    """The pacer with its overall grid held in the database; per-chat limits stay local."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(limits)
        self._slots: deque[float] = deque()
        self.wanted = asyncio.Event()  # the dispatcher has rows ready and no slot
        self.want = 0
        self.pause_asked: float | None = None  # seconds of a 429 not yet told to the others
        self.unused = 0

    def overall_wait(self, now: float) -> float:
        """Seconds until this process's next granted slot; infinite until one is granted."""
        while self._slots and self._slots[0] + TOLERANCE < now:
            self._slots.popleft()  # too late to use it: using it would crowd another's slot
            self.unused += 1
        return self._slots[0] - now if self._slots else math.inf

    def ask(self, ready: int) -> None:
        """Ask the budget task for slots when fewer are held than `ready` rows need."""
        if len(self._slots) < min(ready, self.grant_size):
            self.want = ready
            self.wanted.set()

    @property
    def grant_size(self) -> int:
        """Slots asked for at once: GRANT_HORIZON's worth."""
        return max(1, math.ceil(self.per_second * GRANT_HORIZON))

    def take_overall(self, now: float) -> None:
        """Use the next granted slot."""
        self._slots.popleft()

    def pause(self, until: float) -> None:
        """A 429 here: drop the slots held and have the budget pause every sender."""
        self.unused += len(self._slots)
        self._slots.clear()
        self._next_slot = max(self._next_slot, until)
        self.pause_asked = until
        self.wanted.set()

    def add(self, grant: Grant) -> None:
        """Hold the slots of a grant; a pause another sender met drops those held before its end."""
        if grant.paused_until > self._next_slot:
            self._next_slot = grant.paused_until
            self.unused += len(self._slots)
            self._slots.clear()
        for n in range(grant.count):
            slot = grant.first + n * self.interval
            if slot >= self._next_slot - TOLERANCE:
                self._slots.append(slot)
            else:
                self.unused += 1


class Budget:
    """The `send_budget` row: grants slots on the bot's grid, and pauses everyone on a 429."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        pacer: SharedPacer,
        clock: Callable[[], float],
        dispatcher: Wakeable,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.pacer = pacer
        self.clock = clock
        self.dispatcher = dispatcher
        self._ensured = False
        self._offset = 0.0
        self._offset_trip = math.inf
        self._offset_at = -math.inf
        # How far ahead a grant starts when the grid is idle: the last round trip, so that
        # its first slots are not already late when the answer arrives.
        self._lead = 0.0

    async def grant(self, count: int) -> Grant:
        """The next `count` slots of the bot's grid, on this process's clock."""
        async with session_scope(self.sessionmaker) as session:
            if not self._ensured:
                await session.execute(_ENSURE, {"name": BUDGET_NAME})
            before = self.clock()
            row = (
                await session.execute(
                    _GRANT,
                    {
                        "name": BUDGET_NAME,
                        "span": count * self.pacer.interval,
                        "lead": self._lead,
                    },
                )
            ).one()
            after = self.clock()
        self._ensured = True
        # The database read its clock somewhere in [before, after]: the middle is within half
        # a round trip. A busy host makes some trips long, so the shortest one seen is kept.
        trip = after - before
        self._lead = min(trip, MAX_LEAD)
        if trip <= self._offset_trip or after - self._offset_at > OFFSET_REFRESH:
            self._offset = row.now - (before + after) / 2
            self._offset_trip, self._offset_at = trip, after
        offset = self._offset
        return Grant(first=row.first - offset, count=count, paused_until=row.paused_until - offset)

    async def pause(self, until: float) -> None:
        """Tell every sender: nothing goes before `until` (this process's clock)."""
        seconds = max(0.0, until - self.clock())
        async with session_scope(self.sessionmaker) as session:
            if not self._ensured:
                await session.execute(_ENSURE, {"name": BUDGET_NAME})
            await session.execute(_PAUSE, {"name": BUDGET_NAME, "s": seconds})
        self._ensured = True

    async def run(
        self,
        stopping: asyncio.Event,
        retrying: Callable[[str, Callable[[], Awaitable[Any]]], Awaitable[Any]],
    ) -> None:
        """Grant slots whenever the dispatcher asks; pass a 429 on to everyone."""
        pacer = self.pacer
        while not stopping.is_set():
            await pacer.wanted.wait()
            pacer.wanted.clear()
            if stopping.is_set():
                return
            if pacer.pause_asked is not None:
                until, pacer.pause_asked = pacer.pause_asked, None
                await retrying("pausing every sender", partial(self.pause, until))
            count = min(max(pacer.want, 1), pacer.grant_size)
            pacer.add(await retrying("granting send slots", partial(self.grant, count)))
            self.dispatcher.set()


def pacing(
    config: SenderConfig,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Callable[[], float],
    dispatcher: Wakeable,
) -> tuple[Pacer, Budget | None]:
    """The sender's pacer, and the shared budget feeding it when the rate is the bot's."""
    if not config.shared_rate:
        return Pacer(config.limits), None
    pacer = SharedPacer(config.limits)
    return pacer, Budget(sessionmaker, pacer, clock, dispatcher)
