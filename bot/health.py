"""The health and metrics server of every process (`run` and `send`) on METRICS_LISTEN:METRICS_PORT.

    /healthz   200 while the process is alive
    /readyz    200 when the database answers, the sender runs and the Bot API answered the last
               attempt; 503 naming what is not, otherwise
    /metrics   Prometheus text (digests/metrics.py)

Off unless METRICS_PORT is set. The listening socket is bound by the command line before
anything starts (bot/listeners.py), so a port already taken is one line, not a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.db import session_scope
from digests.metrics import READY, BotApiState, exposition, refresh_from_database
from digests.models import utcnow

logger = logging.getLogger(__name__)
DATABASE_TIMEOUT = 2.0


def _last_bot_api_attempt() -> bool | None:
    return BotApiState.reachable


@dataclass
class Probes:
    """What /readyz asks about; `sender` says "running", "stopped" or "disabled"."""

    sessionmaker: Callable[[], async_sessionmaker[AsyncSession] | None]
    sender: Callable[[], str]
    bot_api: Callable[[], bool | None] = _last_bot_api_attempt


async def _database_ok(sessionmaker: async_sessionmaker[AsyncSession] | None) -> bool:
    if sessionmaker is None:
        return False
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT), session_scope(sessionmaker) as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to answer means not ready
        logger.warning("readyz: the database did not answer: %s", type(exc).__name__)
        return False
    return True


async def readiness(probes: Probes) -> tuple[bool, dict[str, str]]:
    """Whether the process is ready, and each check's state (also exported as newsbot_ready)."""
    database = await _database_ok(probes.sessionmaker())
    sender = probes.sender()
    bot_api = probes.bot_api()
    checks = {
        "database": "ok" if database else "unreachable",
        "sender": sender,
        "bot_api": {True: "reachable", False: "unreachable", None: "not tried yet"}[bot_api],
    }
    passed = {
        "database": database,
        "sender": sender in ("running", "disabled"),
        "bot_api": bot_api is not False,
    }
    for check, ok in passed.items():
        READY.labels(check=check).set(1 if ok else 0)
    return all(passed.values()), checks


def health_app(probes: Probes) -> web.Application:
    """The aiohttp application serving the three paths."""

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def readyz(request: web.Request) -> web.Response:
        ready, checks = await readiness(probes)
        return web.Response(
            status=200 if ready else 503,
            text=json.dumps({"ready": ready, **checks}),
            content_type="application/json",
        )

    async def metrics(request: web.Request) -> web.Response:
        await readiness(probes)
        sessionmaker = probes.sessionmaker()
        if sessionmaker is not None:
            try:
                async with (
                    asyncio.timeout(DATABASE_TIMEOUT),
                    session_scope(sessionmaker) as session,
                ):
                    await refresh_from_database(session=session, now=utcnow())
            except Exception as exc:  # the process's own counters are still worth a scrape
                logger.warning("metrics: reading the outbox failed: %s", type(exc).__name__)
        body = exposition()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    return app


class HttpServer:
    """An aiohttp application served on an already bound socket."""

    def __init__(self, app: web.Application, sock: socket.socket, name: str) -> None:
        # Requests still being answered get 3 s at stop (the shutdown's whole bound is 15 s).
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=3.0)
        self.sock = sock
        self.name = name

    async def start(self) -> None:
        """Serve until stop()."""
        await self.runner.setup()
        await web.SockSite(self.runner, self.sock).start()
        host, port = self.sock.getsockname()[:2]
        logger.info("%s listening on %s:%d", self.name, host, port)

    async def stop(self) -> None:
        """Stop accepting; requests being answered are given a moment to finish."""
        await self.runner.cleanup()
