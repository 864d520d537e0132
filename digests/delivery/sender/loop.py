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
import math
import random
import time
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from digests.db import session_scope
from digests.delivery.failures import FailureCode
from digests.delivery.sender.budget import pacing
from digests.delivery.sender.claims import (
    ChatHolds,
    Claimed,
    OutboxWrites,
    claim_due_deliveries,
    record_outcomes,
)
from digests.delivery.sender.config import SenderConfig
from digests.delivery.sender.counting import count_cancelled, count_decision
from digests.delivery.sender.fleet import Fleet
from digests.delivery.sender.lanes import ChatLane, SenderStats, Waker
from digests.delivery.sender.outcomes import SEND_METHODS, outcome_of_error, outcome_of_result
from digests.delivery.sender.react import (
    CLOSED_CHAT_CODES,
    CloseChat,
    Decision,
    Fail,
    FollowMigration,
    PauseBot,
    RecordSent,
    ResendAsPlainText,
    RetryAt,
    StopSending,
    react,
)
from digests.delivery.sender.stops import StopList
from digests.models import ChatStatus, ChatType
from digests.models.base import utcnow

logger = logging.getLogger(__name__)
GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP, ChatType.CHANNEL)


class Sender:
    """Drains the outbox into Telegram; `run()` until `stop()`."""

    def __init__(
        self,
        *,
        bot: Bot,
        sessionmaker: async_sessionmaker[AsyncSession],
        config: SenderConfig,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.bot = bot
        self.sessionmaker = sessionmaker
        self.config = config
        # The pacer's time: every wait for a limit (and a 429's pause) reads `clock` and
        # sleeps with `sleep`, so tests can run them on a simulated clock.
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self._wake = Waker(sleep)  # the dispatcher's wake-ups: a claim, a send, a limit
        # On PostgreSQL the overall rate is the bot's, shared by every sender (budget.py).
        self.pacer, self.budget = pacing(config, sessionmaker, clock, self._wake)
        self.fleet = Fleet(sessionmaker, config)
        self.stats = SenderStats()
        self.stops = StopList(config.stop_check_interval, sessionmaker)
        self.lanes: dict[int, ChatLane] = {}
        self.writes = OutboxWrites()
        self.in_memory = 0
        self.in_flight = 0
        self._ready: list[tuple[int, int, int]] = []  # (priority, row id, chat id)
        self._waiting: list[tuple[float, int]] = []  # (ready at, chat id)
        self._tasks: set[asyncio.Task[None]] = set()
        self._db_lock = asyncio.Lock()
        self._room = asyncio.Event()
        self._stopping = asyncio.Event()
        self._flushed = asyncio.Event()

    # ------------------------------------------------------------------ lifecycle
    def stop(self) -> None:
        """Ask the sender to finish what is in flight and return from `run()`."""
        self._stopping.set()
        self._wake.set()
        self._room.set()

    @property
    def healthy(self) -> bool:
        """Running, with the database answering: what /readyz reports."""
        return self.fleet.healthy and not self._stopping.is_set()

    async def run(self) -> None:
        """Take the lease, recover leftovers, send until stopped; SenderFailed if it cannot."""
        recovered = await self.fleet.join(self._stopping)
        if recovered is None:  # stopped before the database ever answered
            return
        self.stats.recovered = recovered
        claimer = asyncio.create_task(self._claim_loop(), name="sender-claim")
        recorder = asyncio.create_task(self._flush_loop(), name="sender-record")
        self.fleet.watch(claimer, self.stop)  # a claimer that fails stops the sender
        helpers = self.fleet.start(self._stopping, self._release_queued, self.stop, self.budget)
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
            await self.fleet.leave(helpers)
            logger.info("sender %s stopped: %s", self.config.instance, self.stats)
        if self.fleet.failure is not None:
            raise self.fleet.failure

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
                self.writes.released.append(
                    {"b_id": row.id, "b_next": now, "b_by": self.config.instance}
                )
            lane.rows.clear()
        self.in_memory = 0
        self.lanes = {chat: lane for chat, lane in self.lanes.items() if lane.busy}
        self._room.set()

    # -------------------------------------------------------------------- claiming
    async def _claim_loop(self) -> None:
        low_water = max(1, self.config.batch_size // 2)
        failures = 0
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
                        holds=ChatHolds.of(self.config.limits),
                    )
            except Exception as exc:  # the database is away: back off, keep sending what is held
                failures += 1
                self.fleet.failed("claiming from the outbox", exc)
                await asyncio.sleep(min(failures, 10) * self.config.poll_interval)
                continue
            failures = 0
            self.fleet.succeeded("claiming from the outbox")
            self.stats.claimed += len(rows)
            for row in rows:
                self._admit(row)
            self._wake.set()
            if len(rows) < self.config.batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.config.poll_interval)

    def _admit(self, row: Claimed) -> None:
        if row.chat_status is not ChatStatus.ACTIVE:
            code = CLOSED_CHAT_CODES.get(row.chat_status, FailureCode.OTHER)
            self.record_cancelled(row, f"chat is {row.chat_status.value}", code)
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
        last_prune = self.clock()
        while not self._stopping.is_set():
            now = self.clock()
            while self._waiting and self._waiting[0][0] <= now:
                _, chat_id = heapq.heappop(self._waiting)
                lane = self.lanes.get(chat_id)
                if lane is not None and lane.rows and not lane.busy:
                    priority, row_id = lane.head()
                    heapq.heappush(self._ready, (priority, row_id, chat_id))
            # Until a limit allows the next message; with nothing to pace, until woken (by a
            # claim, which comes at least every poll interval, a finished send, or stop()).
            timeout: float | None = None
            if self._ready and self.in_flight < self.config.concurrency:
                wait = self.pacer.overall_wait(now)
                self.pacer.ask(len(self._ready))  # shared: the budget task brings slots
                if not self.fleet.may_send():  # the lease is not surely ours: hold everything
                    wait = max(wait, 0.1)
                elif wait <= 0:
                    await self.stops.refresh_if_due(now, self.stats.claimed, self.lanes)
                    self._dispatch_one(now)
                    continue
                timeout = None if wait == math.inf else wait
            elif self._waiting:
                timeout = self._waiting[0][0] - now
            if now - last_prune > 60:
                self.pacer.forget_before(now)
                last_prune = now
            await self._wake.wait(timeout)

    def _dispatch_one(self, now: float) -> None:
        priority, row_id, chat_id = heapq.heappop(self._ready)
        lane = self.lanes.get(chat_id)
        if lane is None or lane.busy or not lane.rows or lane.head() != (priority, row_id):
            return  # a stale entry: the lane was rescheduled, closed or already sent
        _, _, row = heapq.heappop(lane.rows)
        self.in_memory -= 1
        if self.stops.dropped(row, self.record_cancelled):  # its alert was stopped: not sent
            return self._lane_done(lane)
        lane.busy = True
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
            decision = react(outcome, row, config=self.config, now=utcnow(), rng=self.rng)
            self._apply(decision, lane, row)
        finally:
            self._lane_done(lane)

    def _lane_done(self, lane: ChatLane) -> None:  # its row went or was dropped
        lane.busy = False
        if lane.rows and self.lanes.get(lane.chat_id) is lane:
            self._schedule(lane, self.clock())
        elif not lane.rows and self.lanes.get(lane.chat_id) is lane:
            del self.lanes[lane.chat_id]
            self._room.set()
        self._wake.set()

    # ------------------------------------------------------------------- recording
    def _apply(self, decision: Decision, lane: ChatLane, row: Claimed) -> None:
        """Carry out react's decision: queue database writes, change what is held in memory."""
        now, writes, stats = utcnow(), self.writes, self.stats
        count_decision(decision, row, now)
        match decision:
            case RecordSent(message_id=message_id, code=code, note=note):
                stats.sent += 1
                writes.sent.append(
                    {"b_id": row.id, "b_message_id": message_id, "b_at": now}
                    | {"b_error": note, "b_code": code}
                )
            case PauseBot(seconds=seconds):
                stats.floods += 1
                logger.warning("429 from Telegram: the whole bot waits %.1f s", seconds)
                self.pacer.pause(self.clock() + seconds)
                self._requeue(lane, row)
            case FollowMigration(new_chat_id=new_chat_id):
                stats.migrations += 1
                logger.info("chat #%d moved to supergroup %d", lane.chat_id, new_chat_id)
                lane.telegram_id, lane.group = new_chat_id, True
                writes.migrated_chats.append(
                    {"b_chat": lane.chat_id, "b_new": new_chat_id, "b_at": now}
                )
                self._requeue(lane, row)
            case ResendAsPlainText(payload=payload, note=note, reason=reason, code=code):
                stats.plain_text += 1
                # Loud on purpose: a message that does not parse is a template bug to fix.
                logger.error(
                    "template bug: delivery %d (%s %s part %d) did not parse, "
                    "sending it as plain text: %s",
                    *(row.id, row.kind, row.ref, row.part, reason),
                )
                row.payload, row.note, row.note_code = dict(payload), note, code
                self._requeue(lane, row)
            case RetryAt(at=at, attempts=attempts, code=code, reason=reason):
                stats.retried += 1
                writes.retried.append(
                    {"b_id": row.id, "b_attempts": attempts, "b_next": at}
                    | {"b_error": reason, "b_code": code}
                )
            case Fail():
                self._record_failed(row, decision)
            case CloseChat(status=status, code=code):
                self._record_failed(row, decision)
                reason = decision.cancel_reason
                writes.closed_chats.append(
                    {"b_chat": lane.chat_id, "b_status": status, "b_at": now}
                    | {"b_error": reason, "b_code": code}
                )
                for _, _, queued in lane.rows:
                    self.record_cancelled(queued, reason, code)
                self.in_memory -= len(lane.rows)
                lane.rows.clear()
            case StopSending(reason=reason):
                logger.critical("Telegram rejected the bot token; the sender stops: %s", reason)
                writes.released.append(
                    {"b_id": row.id, "b_next": now, "b_by": self.config.instance}
                )
                self.stop()

    def _requeue(self, lane: ChatLane, row: Claimed) -> None:
        lane.push(row)
        self.in_memory += 1

    def _record_failed(self, row: Claimed, decision: Fail | CloseChat) -> None:
        self.stats.failed += 1
        logger.warning("delivery %d (%s %s) failed: %s", row.id, row.kind, row.ref, decision.reason)
        self.writes.failed.append(
            {"b_id": row.id, "b_attempts": decision.attempts}
            | {"b_error": decision.reason, "b_code": decision.code}
        )

    def record_cancelled(self, row: Claimed, reason: str, code: FailureCode) -> None:
        """Queue a cancellation of a claimed row."""
        self.stats.cancelled += 1
        count_cancelled(code)
        self.writes.cancelled.append({"b_id": row.id, "b_error": reason, "b_code": code})

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
        except Exception as exc:
            # Keep them: the next flush tries again; rows stay `sending` meanwhile.
            for name, rows in vars(writes).items():
                getattr(self.writes, name)[:0] = rows
            self.fleet.failed("recording outcomes", exc)
            await asyncio.sleep(1.0)
        else:
            self.fleet.succeeded("recording outcomes")

    @property
    def idle(self) -> bool:
        """Nothing in memory or in flight, nothing waiting to be recorded."""
        return not self.in_memory and not self.in_flight and not len(self.writes)
