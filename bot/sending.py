"""Running the sender: inside `newsbot run` (post_init/post_shutdown) or alone (`newsbot send`)."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.request import BaseRequest

from bot.health import HttpServer, Probes, health_app
from bot.request import AiohttpRequest
from digests.config import Settings
from digests.db import create_engine, create_sessionmaker
from digests.delivery.sender import Sender, sender_config
from digests.delivery.sender.fleet import SenderState
from digests.metrics import SEND_RATE_LIMIT

logger = logging.getLogger(__name__)
SENDER_KEY = "sender"
SENDER_REQUEST_KEY = "sender_request"
SENDER_FAILED_KEY = "sender_failed"
STOP_SERVING_KEY = "stop_serving"  # bot/serve.py: how a failed sender stops `newsbot run`


def sending_bot(settings: Settings, request: BaseRequest | None = None) -> Bot:
    """A plain Bot for the sender: no defaults or rate limiter (the sender paces itself)."""
    if request is None:
        request = AiohttpRequest(
            connection_pool_size=settings.sender_concurrency + 4,
            read_timeout=settings.sender_request_timeout,
            connect_timeout=settings.sender_request_timeout,
        )
    return Bot(settings.token, base_url=settings.api_base_url, request=request)


@dataclass
class RunningSender:
    """A sender task and the bot it sends with."""

    sender: Sender
    bot: Bot
    task: asyncio.Task[None]

    @property
    def healthy(self) -> bool:
        """For /readyz: the send loop is running and reaches the database."""
        return not self.task.done() and self.sender.healthy

    @property
    def state(self) -> SenderState:
        """starting, running, degraded (database errors being retried), stopped or failed."""
        return self.sender.fleet.state

    @property
    def status(self) -> str:
        """For /readyz: "running" while the send loop runs and reaches its database, else
        its state: starting, degraded (database errors being retried), stopped or failed."""
        if self.task.done():
            failed = not self.task.cancelled() and self.task.exception() is not None
            return "failed" if failed else "stopped"
        return "running" if self.sender.healthy else self.state.value

    async def stop(self) -> None:
        """Stop: in-flight requests finish, queued rows are released, the bot closes."""
        self.sender.stop()
        await asyncio.wait({self.task})  # an error it ended on was logged when it ended
        await self.bot.shutdown()


async def start_sender(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    role: str,
    request: BaseRequest | None = None,
    on_failure: Callable[[], None] | None = None,
) -> RunningSender:
    """Initialise the sending bot and start the send loop as a task.

    A send loop that ends on an error (it could not recover: bot/../fleet.py) is logged and
    `on_failure` called, so that the process exits non-zero for its supervisor.
    """
    bot = sending_bot(settings, request)
    try:
        await bot.initialize()
    except BaseException:
        await bot.request.shutdown()  # a Bot that never initialised does not shut down
        raise
    sender = Sender(bot=bot, sessionmaker=sessionmaker, config=sender_config(settings, role=role))
    SEND_RATE_LIMIT.set(sender.config.limits.overall)
    task = asyncio.create_task(sender.run(), name="sender")

    def crashed(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            logger.critical("the sender stopped on an error: %s", task.exception())
            if on_failure is not None:
                on_failure()

    task.add_done_callback(crashed)
    return RunningSender(sender=sender, bot=bot, task=task)


async def serve_sender(settings: Settings, metrics_socket: socket.socket | None = None) -> int:
    """`newsbot send`: the send loop alone until SIGTERM or SIGINT; returns the exit code.

    With a metrics socket, /healthz, /readyz and /metrics are served beside it.
    """
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    health: HttpServer | None = None
    started: list[RunningSender] = []
    try:
        if metrics_socket is not None:  # first, so /healthz answers while the sender starts
            probes = Probes(
                sessionmaker=lambda: sessionmaker,
                sender=lambda: started[0].status if started else "starting",
            )
            health = HttpServer(health_app(probes), metrics_socket, "health and metrics")
            await health.start()
        running = await start_sender(settings, sessionmaker, role="send")
        started.append(running)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, running.sender.stop)
        try:
            await asyncio.wait({running.task})
        finally:
            await running.stop()
        failed = not running.task.cancelled() and running.task.exception() is not None
        return 1 if failed else 0
    finally:
        if health is not None:
            await health.stop()
        await engine.dispose()
