"""The sender among its peers: its lease, the rows of peers that are gone, database errors.

Each sender holds the lease `instance:<id>` (digests.leases) and renews it every quarter of
its length. A peer whose lease has expired is gone: its rows in `sending` go back to pending
(checked at every renewal, so a crashed process's rows are back within `lease_seconds` plus a
quarter of it). A sender whose own renewals fail stops dispatching before its lease can
expire, so nobody takes over a row it might still send. Every database error is logged and
retried with backoff; with no database for `give_up_after` seconds the sender fails, and its
process exits non-zero for a supervisor to restart it.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.backoff import backoff_seconds
from digests.db import session_scope
from digests.delivery.sender.budget import Budget
from digests.delivery.sender.claims import recover_in_flight
from digests.delivery.sender.config import SenderConfig
from digests.leases import hold_lease, instance_lease, process_id, release_lease
from digests.models.base import utcnow

logger = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_BASE, RETRY_CAP = 0.5, 15.0


class SenderFailed(RuntimeError):
    """The sender cannot go on (no database for too long, its instance id taken)."""


class SenderState(StrEnum):
    """What /readyz reports of the sender."""

    STARTING = "starting"
    RUNNING = "running"
    DEGRADED = "degraded"  # database errors being retried, or the lease not renewed in time
    STOPPED = "stopped"
    FAILED = "failed"


class Fleet:
    """One sender's lease and its database retries; `clock` is real time, never simulated."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        config: SenderConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.config = config
        self.clock = clock
        self.lease = instance_lease(config.instance)
        self.owner = process_id("sender")  # tells two processes given one id apart
        self.state = SenderState.STARTING
        self.failure: SenderFailed | None = None
        self.valid_until = -1.0  # no dispatching after this (monotonic)
        self._db_ok_at = clock()
        self._failing: set[str] = set()
        self._rng = random.Random()

    @property
    def healthy(self) -> bool:
        """Running: the database answers and the lease is held."""
        return self.state is SenderState.RUNNING and self.may_send()

    def may_send(self, now: float | None = None) -> bool:
        """Whether the lease is surely still held (real time)."""
        return (self.clock() if now is None else now) < self.valid_until

    async def retrying(self, what: str, action: Callable[[], Awaitable[T]]) -> T:
        """Run a database action until it succeeds: each failure logged, backoff between."""
        failures = 0
        while True:
            try:
                result = await action()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures += 1
                self.failed(what, exc)
                delay = backoff_seconds(failures, base=RETRY_BASE, cap=RETRY_CAP)
                await asyncio.sleep(delay * self._rng.uniform(0.5, 1.0))
                continue
            self.succeeded(what)
            return result

    def failed(self, what: str, exc: BaseException) -> None:
        """A database action failed: log it, degrade, and fail once down for too long."""
        down = self.clock() - self._db_ok_at
        logger.error(
            "sender %s: %s failed (retrying; no database success for %.0f s): %s: %s",
            *(self.config.instance, what, down, type(exc).__name__, exc),
        )
        self._failing.add(what)
        if self.state is SenderState.RUNNING:
            self.state = SenderState.DEGRADED
        if down > self.config.give_up_after:
            self.state = SenderState.FAILED
            self.failure = SenderFailed(
                f"sender {self.config.instance}: no database for {down:.0f} s, giving up"
            )
            raise self.failure from exc

    def succeeded(self, what: str) -> None:
        """A database action went through."""
        self._db_ok_at = self.clock()
        if what in self._failing:
            self._failing.discard(what)
            logger.info("sender %s: %s works again", self.config.instance, what)
        if not self._failing and self.state is SenderState.DEGRADED and self.may_send():
            self.state = SenderState.RUNNING

    def watch(self, task: asyncio.Task[None], stop: Callable[[], None]) -> None:
        """A helper task of the sender that ends on an error fails the sender."""

        def done(task: asyncio.Task[None]) -> None:
            if not task.cancelled() and (error := task.exception()) is not None:
                self.state = SenderState.FAILED
                if self.failure is None:
                    logger.critical("sender %s failed", self.config.instance, exc_info=error)
                    self.failure = SenderFailed(f"sender {self.config.instance}: {error!r}")
                stop()

        task.add_done_callback(done)

    async def join(self, stopping: asyncio.Event) -> int | None:
        """Take this instance's lease, then put back its own rows; None if stopped meanwhile."""
        joining = asyncio.create_task(self._join())
        stopped = asyncio.create_task(stopping.wait())
        await asyncio.wait({joining, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not joining.done():  # a SIGTERM while the database is still away: just stop
            joining.cancel()
            await asyncio.gather(joining, return_exceptions=True)
            self.state = SenderState.STOPPED
            return None
        return joining.result()

    async def _join(self) -> int:
        waited_from = self.clock()
        while not await self.retrying("taking the instance lease", self._renew):
            # A previous process with this id may have crashed: its lease runs out. One
            # still alive keeps renewing it: two processes must never share an id.
            if self.clock() - waited_from > 2 * self.config.lease_seconds:
                self.state = SenderState.FAILED
                self.failure = SenderFailed(
                    f"SENDER_INSTANCE_ID {self.config.instance!r} is in use by a live process: "
                    "give each sender its own id or leave it empty"
                )
                raise self.failure
            await asyncio.sleep(self.config.lease_seconds / 4)
        recovered = await self.retrying("start-up recovery", self._recover_own)
        if recovered:
            logger.warning(
                "sender %s: %d rows left sending by a crash are pending again",
                *(self.config.instance, recovered),
            )
        self.state = SenderState.RUNNING
        logger.info(
            "sender %s started (%.0f msg/s overall)",
            *(self.config.instance, self.config.limits.overall),
        )
        return recovered

    def start(
        self,
        stopping: asyncio.Event,
        on_lapse: Callable[[], None],
        stop: Callable[[], None],
        budget: Budget | None,
    ) -> list[asyncio.Task[None]]:
        """The sender's helper tasks: the heartbeat, and the shared budget on PostgreSQL."""
        tasks = [asyncio.create_task(self.heartbeat(stopping, on_lapse), name="sender-lease")]
        if budget is not None:
            run = budget.run(stopping, self.retrying)
            tasks.append(asyncio.create_task(run, name="sender-budget"))
        for task in tasks:
            self.watch(task, stop)
        return tasks

    async def heartbeat(self, stopping: asyncio.Event, on_lapse: Callable[[], None]) -> None:
        """Renew the lease and take back gone peers' rows, every quarter lease, until stopped."""
        interval = self.config.lease_seconds / 4
        while not stopping.is_set():
            try:
                await asyncio.wait_for(stopping.wait(), interval)
                return
            except TimeoutError:
                pass
            lapsed = not self.may_send()
            if not await self.retrying("renewing the instance lease", self._renew):
                raise SenderFailed(f"sender {self.config.instance}: lease taken by another")
            if lapsed:
                # Peers may have taken this instance's rows meanwhile: what it holds in
                # memory is released, never sent.
                logger.error(
                    "sender %s: the lease lapsed; releasing what was held", self.config.instance
                )
                on_lapse()
            recovered = await self.retrying("recovering gone peers' rows", self._recover_gone)
            if recovered:
                logger.warning(
                    "sender %s: %d rows of gone instances are pending again",
                    self.config.instance,
                    recovered,
                )

    async def leave(self, tasks: list[asyncio.Task[None]]) -> None:
        """Stop the helper tasks; give the lease up (best effort: it expires anyway)."""
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        try:
            async with session_scope(self.sessionmaker) as session:
                await release_lease(session=session, name=self.lease, owner=self.owner)
        except Exception as exc:
            logger.warning("sender %s: lease not released: %s", self.config.instance, exc)
        if self.state is not SenderState.FAILED:
            self.state = SenderState.STOPPED

    async def _renew(self) -> bool:
        started = self.clock()
        async with session_scope(self.sessionmaker) as session:
            held = await hold_lease(
                session=session,
                name=self.lease,
                owner=self.owner,
                seconds=self.config.lease_seconds,
                now=utcnow(),
            )
        if held:
            # Stop a quarter lease early: room for clock skew and a request still on the wire.
            self.valid_until = started + self.config.lease_seconds * 0.75
        return held

    async def _recover_own(self) -> int:
        async with session_scope(self.sessionmaker) as session:
            return await recover_in_flight(
                session=session, instance=self.config.instance, now=utcnow()
            )

    async def _recover_gone(self) -> int:
        async with session_scope(self.sessionmaker) as session:
            return await recover_in_flight(session=session, instance=None, now=utcnow())
