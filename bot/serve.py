"""`newsbot run`, start to SIGTERM, in both modes: long polling or the webhook server.

Start: polling holds the database's one polling role (digests/exclusive.py); then PTB's
initialize and post_init (the database, the menu, the sender), the health server, handlers,
and updates (getUpdates, or setWebhook with the secret and the webhook server).

SIGTERM (or SIGINT) stops taking work at once: no more getUpdates, the webhook server closes
(Telegram retries what it could not deliver, on this or another instance). Then, together and
within SHUTDOWN_BOUND seconds: the updates already received are handled and the jobs stop
(Application.stop), and the sender lets its in-flight requests finish (up to its 10 s grace)
and puts every row it holds back to pending. The process exits 0. A restart loses nothing:
what was queued is in the outbox; a request cut off by the grace stays `sending` and is resent
on recovery (at-least-once).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import time
from contextlib import AsyncExitStack

from telegram import Update

from bot.app import NewsApplication, stop_sender
from bot.context import services_of
from bot.health import HttpServer, Probes, health_app
from bot.sending import SENDER_FAILED_KEY, SENDER_KEY, STOP_SERVING_KEY
from bot.webhook import webhook_app
from digests.config import Settings
from digests.exclusive import exclusive

logger = logging.getLogger(__name__)
SHUTDOWN_BOUND = 15.0


def _sender_status(application: NewsApplication) -> str:
    if not services_of(application).settings.sender_enabled:
        return "disabled"
    running = application.bot_data.get(SENDER_KEY)
    return "not running" if running is None else running.status


async def serve(
    application: NewsApplication,
    settings: Settings,
    *,
    webhook_socket: socket.socket | None,
    metrics_socket: socket.socket | None,
) -> int:
    """Run until SIGTERM or SIGINT; returns the exit code."""
    stopping = asyncio.Event()
    received: list[str] = []

    def on_signal(signum: signal.Signals) -> None:
        stop(signum.name)

    def stop(reason: str) -> None:
        received.append(reason)
        stopping.set()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal, signum)
    # A sender that cannot recover stops the bot too: the process exits 1 for its supervisor.
    application.bot_data[STOP_SERVING_KEY] = lambda: stop("sender failed")
    async with AsyncExitStack() as stack:
        if webhook_socket is None:  # raises Taken when another process polls this database
            await stack.enter_async_context(exclusive(settings.database_url, "polling"))
        if metrics_socket is not None:  # first, so /healthz answers while the rest starts
            probes = Probes(
                sessionmaker=lambda: services_of(application).sessionmaker,
                sender=lambda: _sender_status(application),
            )
            health = HttpServer(health_app(probes), metrics_socket, "health and metrics")
            await health.start()
            stack.push_async_callback(health.stop)
        await application.initialize()
        stack.push_async_callback(application.shutdown)
        # build_application sets both hooks (the in-process tests call them the same way).
        assert application.post_init is not None and application.post_shutdown is not None
        stack.push_async_callback(application.post_shutdown, application)
        await application.post_init(application)
        await application.start()
        webhook = await _take_updates(application, settings, webhook_socket)
        await stopping.wait()
        started = time.monotonic()
        logger.info("%s: stopping; no new updates, finishing what is in hand", received[0])
        try:
            # One deadline for all of it; closing the database and the bot comes after.
            async with asyncio.timeout(SHUTDOWN_BOUND - 1):
                if webhook is not None:
                    await webhook.stop()
                elif application.updater is not None:
                    await application.updater.stop()
                await asyncio.gather(application.stop(), stop_sender(application))
        except TimeoutError:
            logger.error("shutdown took over %.0f s; leaving the rest to recovery", SHUTDOWN_BOUND)
            return 1
        logger.info("stopped in %.1f s", time.monotonic() - started)
    return 1 if application.bot_data.get(SENDER_FAILED_KEY) else 0


async def _take_updates(
    application: NewsApplication, settings: Settings, webhook_socket: socket.socket | None
) -> HttpServer | None:
    """Start getting updates: long polling, or the webhook server and setWebhook."""
    if webhook_socket is None:
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        logger.info("long polling for updates")
        return None
    assert settings.webhook_secret is not None and settings.webhook_url
    secret = settings.webhook_secret.get_secret_value()
    app = webhook_app(application, path=settings.webhook_path, secret=secret)
    server = HttpServer(app, webhook_socket, f"webhook on {settings.webhook_path}")
    await server.start()
    await application.bot.set_webhook(
        url=settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
    )
    logger.info("webhook set: Telegram posts updates to %s", settings.webhook_url)
    return server
