"""The send loop: claim due rows, pace them to Telegram's limits, send, record outcomes.

Three tasks share one event loop: the claimer keeps a batch of rows in memory, the
dispatcher starts a request whenever the pacer allows one (one request in flight per chat,
which also keeps a digest's parts in order), and the recorder writes outcomes in batches.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from digests.db import session_scope
from digests.delivery.sender.claims import (
    Claimed,
    OutboxWrites,
    claim_due_deliveries,
    record_outcomes,
    recover_in_flight,
)
from digests.delivery.sender.limits import Limits, Pacer
from digests.delivery.sender.outcomes import SEND_METHODS, outcome_of_error, outcome_of_result
from digests.delivery.sender.react import react
from digests.models import ChatStatus, ChatType
from digests.models.base import utcnow

logger = logging.getLogger(__name__)
GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP, ChatType.CHANNEL)


@dataclass(frozen=True)
class SenderConfig:
    """How the sender behaves; `sender_config` in digests.delivery.sender builds it."""

    instance: str
    limits: Limits = field(default_factory=Limits)
    batch_size: int = 100
    concurrency: int = 100
    max_attempts: int = 5
    backoff_base: float = 2.0
    backoff_max: float = 300.0
    poll_interval: float = 1.0
    stale_after: float = 600.0
    flush_interval: float = 0.05
    shutdown_grace: float = 10.0


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


class Sender:
    """Drains the outbox into Telegram; `run()` until `stop()`."""

    def __init__(
        self,
        *,
        bot: Bot,
        sessionmaker: async_sessionmaker[AsyncSession],
        config: SenderConfig,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.bot = bot
        self.sessionmaker = sessionmaker
        self.config = config
        self.clock = clock
        self.rng = rng or random.Random()
        self.pacer = Pacer(config.limits)
        self.stats = SenderStats()
        self.lanes: dict[int, ChatLane] = {}
        self.writes = OutboxWrites()
        self.in_memory = 0
        self.in_flight = 0
        self._ready: list[tuple[int, int, int]] = []  # (priority, row id, chat id)
        self._waiting: list[tuple[float, int]] = []  # (ready at, chat id)
        self._tasks: set[asyncio.Task[None]] = set()
        self._db_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._room = asyncio.Event()
        self._stopping = asyncio.Event()
        self._flushed = asyncio.Event()

    # ------------------------------------------------------------------ lifecycle
    def stop(self) -> None:
        """Ask the sender to finish what is in flight and return from `run()`."""
        self._stopping.set()
        self._wake.set()
        self._room.set()

    async def run(self) -> None:
        """Recover this instance's leftovers, then send until stopped."""
        now = utcnow()
        async with session_scope(self.sessionmaker) as session:
            stale = now - timedelta(seconds=self.config.stale_after)
            recovered = await recover_in_flight(
                session=session, instance=self.config.instance, stale_before=stale
            )
        self.stats.recovered = recovered
        if recovered:
            logger.warning(
                "sender %s: %d rows left sending by a crash are pending again",
                self.config.instance,
                recovered,
            )
        logger.info(
            "sender %s started (%.0f msg/s overall)",
            self.config.instance,
            self.config.limits.overall,
        )
        claimer = asyncio.create_task(self._claim_loop(), name="sender-claim")
        recorder = asyncio.create_task(self._flush_loop(), name="sender-record")
        try:
            await self._dispatch_loop()
        finally:
            self.stop()
            # Not cancelled: a claim cut short after its commit would strand rows in `sending`.
            await asyncio.gather(claimer, return_exceptions=True)
            await self._finish_in_flight()
            self._release_queued()
            self._flushed.set()
            await asyncio.gather(recorder, return_exceptions=True)
            await self._flush()
            logger.info("sender %s stopped: %s", self.config.instance, self.stats)

    async def _finish_in_flight(self) -> None:
        if self._tasks:
            _, late = await asyncio.wait(set(self._tasks), timeout=self.config.shutdown_grace)
            for task in late:  # their rows stay `sending` and come back at the next start
                task.cancel()
            if late:
                await asyncio.wait(late)

    def _release_queued(self) -> None:
        now = utcnow()
        for lane in self.lanes.values():
            for _, _, row in lane.rows:
                self.writes.released.append({"b_id": row.id, "b_next": now})
            lane.rows.clear()
        self.in_memory = 0

    # -------------------------------------------------------------------- claiming
    async def _claim_loop(self) -> None:
        low_water = max(1, self.config.batch_size // 2)
        while not self._stopping.is_set():
            if len(self.lanes) > low_water or self.in_memory >= 20 * self.config.batch_size:
                self._room.clear()
                await self._room.wait()
                continue
            try:
                async with self._db_lock, session_scope(self.sessionmaker) as session:
                    rows = await claim_due_deliveries(
                        session=session,
                        instance=self.config.instance,
                        limit=self.config.batch_size,
                        now=utcnow(),
                    )
            except Exception:  # the database is away: try again, keep sending what is held
                logger.exception("sender: claiming from the outbox failed; retrying")
                rows = []
            self.stats.claimed += len(rows)
            for row in rows:
                self._admit(row)
            self._wake.set()
            if len(rows) < self.config.batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.config.poll_interval)

    def _admit(self, row: Claimed) -> None:
        if row.chat_status is not ChatStatus.ACTIVE:
            self.record_cancelled(row, f"chat is {row.chat_status.value}")
            return
        lane = self.lanes.get(row.chat_id)
        if lane is None:
            lane = self.lanes[row.chat_id] = ChatLane(
                row.chat_id, row.telegram_id, row.chat_type in GROUP_TYPES
            )
            lane.push(row)
            self.in_memory += 1
            self._schedule(lane, self.clock())
        else:
            old_head = lane.head() if lane.rows else None
            lane.push(row)
            self.in_memory += 1
            if not lane.busy and old_head is not None and lane.head() < old_head:
                self._schedule(lane, self.clock())  # an alert overtakes; the old entry is stale

    def _schedule(self, lane: ChatLane, now: float) -> None:
        ready_at = self.pacer.chat_ready_at(lane.chat_id, group=lane.group)
        if ready_at <= now:
            priority, row_id = lane.head()
            heapq.heappush(self._ready, (priority, row_id, lane.chat_id))
        else:
            heapq.heappush(self._waiting, (ready_at, lane.chat_id))

    # ----------------------------------------------------------------- dispatching
    async def _dispatch_loop(self) -> None:
        loop = asyncio.get_running_loop()
        last_prune = self.clock()
        while not self._stopping.is_set():
            now = self.clock()
            while self._waiting and self._waiting[0][0] <= now:
                _, chat_id = heapq.heappop(self._waiting)
                lane = self.lanes.get(chat_id)
                if lane is not None and lane.rows and not lane.busy:
                    priority, row_id = lane.head()
                    heapq.heappush(self._ready, (priority, row_id, chat_id))
            timeout = self.config.poll_interval
            if self._ready and self.in_flight < self.config.concurrency:
                wait = self.pacer.overall_wait(now)
                if wait <= 0:
                    self._dispatch_one(now)
                    continue
                timeout = wait
            elif self._waiting:
                timeout = self._waiting[0][0] - now
            if now - last_prune > 60:
                self.pacer.forget_before(now)
                last_prune = now
            self._wake.clear()
            timer = loop.call_later(max(timeout, 0.0), self._wake.set)
            await self._wake.wait()
            timer.cancel()

    def _dispatch_one(self, now: float) -> None:
        priority, row_id, chat_id = heapq.heappop(self._ready)
        lane = self.lanes.get(chat_id)
        if lane is None or lane.busy or not lane.rows or lane.head() != (priority, row_id):
            return  # a stale entry: the lane was rescheduled, closed or already sent
        _, _, row = heapq.heappop(lane.rows)
        lane.busy = True
        self.in_memory -= 1
        self.in_flight += 1
        self.pacer.take_overall(now)
        self.pacer.take_chat(chat_id, group=lane.group, now=now)
        task = asyncio.create_task(self._send(lane, row))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, lane: ChatLane, row: Claimed) -> None:
        params = dict(row.payload)
        params["chat_id"] = lane.telegram_id
        if self.config.limits.paid_broadcast and row.method in SEND_METHODS:
            params["allow_paid_broadcast"] = True
        try:
            # Bot._post: PTB's request building and error mapping, without building a
            # Message object per answer (the sender only needs the message id).
            result = await self.bot._post(row.method, params)
        except Exception as exc:  # every failure is classified; none may escape the task
            outcome = outcome_of_error(exc, row.method, row.payload)
        else:
            outcome = outcome_of_result(row.method, row.payload, result)
        finally:
            self.in_flight -= 1
        try:
            react(self, lane, row, outcome)
        finally:
            lane.busy = False
            if lane.rows and self.lanes.get(lane.chat_id) is lane:
                self._schedule(lane, self.clock())
            elif not lane.rows and self.lanes.get(lane.chat_id) is lane:
                del self.lanes[lane.chat_id]
                self._room.set()
            self._wake.set()

    # ------------------------------------------------------------------- recording
    def record_cancelled(self, row: Claimed, reason: str) -> None:
        """Queue a cancellation of a claimed row."""
        self.stats.cancelled += 1
        self.writes.cancelled.append({"b_id": row.id, "b_error": reason})

    async def _flush_loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._flushed.wait(), self.config.flush_interval)
            if self._flushed.is_set():
                return
            await self._flush()

    async def _flush(self) -> None:
        if not len(self.writes):
            return
        writes, self.writes = self.writes, OutboxWrites()
        try:
            async with self._db_lock, session_scope(self.sessionmaker) as session:
                await record_outcomes(session=session, writes=writes)
        except Exception:
            # Keep them: the next flush tries again; rows stay `sending` meanwhile.
            logger.exception("sender: recording %d outcomes failed; retrying", len(writes))
            for name, rows in vars(writes).items():
                getattr(self.writes, name)[:0] = rows
            await asyncio.sleep(1.0)

    @property
    def idle(self) -> bool:
        """Nothing in memory or in flight, nothing waiting to be recorded."""
        return not self.in_memory and not self.in_flight and not len(self.writes)
