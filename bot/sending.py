"""Running the sender: inside `newsbot run` (post_init/post_shutdown) or alone (`newsbot send`)."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.request import BaseRequest

from bot.request import AiohttpRequest
from digests.config import Settings
from digests.db import create_engine, create_sessionmaker
from digests.delivery.sender import Sender, sender_config
from digests.delivery.sender.fleet import SenderState

logger = logging.getLogger(__name__)
SENDER_KEY = "sender"
SENDER_REQUEST_KEY = "sender_request"
SENDER_FAILED_KEY = "sender_failed"


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
    await bot.initialize()
    sender = Sender(bot=bot, sessionmaker=sessionmaker, config=sender_config(settings, role=role))
    task = asyncio.create_task(sender.run(), name="sender")

    def crashed(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            logger.critical("the sender stopped on an error: %s", task.exception())
            if on_failure is not None:
                on_failure()

    task.add_done_callback(crashed)
    return RunningSender(sender=sender, bot=bot, task=task)


async def serve_sender(settings: Settings) -> int:
    """`newsbot send`: the send loop alone until SIGTERM or SIGINT; returns the exit code."""
    engine = create_engine(settings.database_url)
    try:
        running = await start_sender(settings, create_sessionmaker(engine), role="send")
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
        await engine.dispose()
