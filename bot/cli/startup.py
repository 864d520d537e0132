"""Start-up failures in one line: the Bot API refusing the token or out of reach, the database
missing or refusing connections. Each names the cause and what to do, never the token.

`explain()` words an exception that means "cannot start here"; anything else is a bug and keeps
its traceback (through logging, which redacts the token: digests/logs.py).
"""

from __future__ import annotations

import errno
import json
import logging
import re
import socket
import ssl
import traceback
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from digests.config import Settings

logger = logging.getLogger(__name__)

# Database errors that mean "cannot connect or log in", as asyncpg and sqlite3 word them.
CONNECTION_REFUSALS = re.compile(
    r"does not exist|unable to open database file|authentication failed|no pg_hba\.conf entry"
    r"|too many (clients|connections)|the database system is (starting up|shutting down)"
)
DATABASE_PACKAGES = ("/asyncpg/", "/aiosqlite/", "/sqlalchemy/")


async def check_bot_api(settings: Settings) -> None:
    """Ask the Bot API who the bot is (getMe), raising what PTB raises when it cannot say."""
    from telegram import Bot

    request = _quiet_request()
    bot = Bot(
        settings.token,
        base_url=settings.api_base_url,
        request=request,
        get_updates_request=request,
    )
    try:
        await bot.initialize()
    finally:
        await request.shutdown()


def _quiet_request() -> Any:
    """The sender's transport, minus PTB's logged traceback for a body that is not JSON (a
    wrong API path's 404 page): the failure is worded once, by explain()."""
    from telegram.error import TelegramError

    from bot.request import AiohttpRequest

    class QuietRequest(AiohttpRequest):
        @staticmethod
        def parse_json_payload(payload: bytes) -> dict[str, Any]:
            try:
                parsed: dict[str, Any] = json.loads(payload.decode("utf-8", "replace"))
                return parsed
            except ValueError as exc:
                raise TelegramError("Invalid server response") from exc

    return QuietRequest(connection_pool_size=1, read_timeout=15, connect_timeout=15)


def _api_label(settings: Settings) -> str:
    return settings.api_base_url.removesuffix("/bot")


def _os_reason(exc: BaseException) -> str | None:
    """A transport failure in a few words, from the OSError somewhere in its causes."""
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLError | ssl.CertificateError):
            return f"TLS failed ({cause})"
        if isinstance(cause, socket.gaierror) or "DNS" in type(cause).__name__:
            return "the host name does not resolve"
        if isinstance(cause, ConnectionRefusedError) or (
            isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED
        ):
            return "connection refused"
        if isinstance(cause, TimeoutError):
            return "timed out"
    for cause in _causes(exc):
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror.lower()
    return None


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _bot_api_failure(exc: BaseException, settings: Settings) -> str | None:
    from telegram.error import InvalidToken, NetworkError, TimedOut

    where = _api_label(settings)
    if isinstance(exc, InvalidToken):
        if any("Not Found" in str(cause) or "(404)" in str(cause) for cause in _causes(exc)):
            return (
                f"the Bot API at {where} answered 404 Not Found: check TELEGRAM_API_BASE_URL "
                "(a Bot API server's root, or its URL ending in /bot) and TELEGRAM_BOT_TOKEN"
            )
        return (
            f"the Bot API at {where} rejected the token: set TELEGRAM_BOT_TOKEN to the token "
            "@BotFather gave this bot (/mybots → API Token)"
        )
    if isinstance(exc, TimedOut):
        return f"cannot reach the Bot API at {where}: timed out; check the network or a proxy"
    if isinstance(exc, NetworkError):
        reason = _os_reason(exc) or str(exc)
        return f"cannot reach the Bot API at {where}: {reason}; check TELEGRAM_API_BASE_URL"
    return None


def _raised_by_database(exc: BaseException) -> bool:
    frames = traceback.extract_tb(exc.__traceback__)
    return any(package in frame.filename for frame in frames for package in DATABASE_PACKAGES)


def _database_failure(exc: BaseException, settings: Settings) -> str | None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    from bot.cli.common import database_label

    where = database_label(settings)
    if isinstance(exc, DBAPIError):
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if not CONNECTION_REFUSALS.search(reason):
            return None
        name = make_url(settings.database_url).database
        if reason.startswith("database ") and reason.endswith("does not exist"):
            return f"the database {where} does not exist: create it (createdb {name})"
        return f"cannot use the database {where}: {reason}; check DATABASE_URL"
    if isinstance(exc, OSError) and _raised_by_database(exc):
        reason = _os_reason(exc) or str(exc)
        hint = "is the server running?" if reason == "connection refused" else "is the host right?"
        return f"cannot connect to the database {where}: {reason}; {hint} Check DATABASE_URL"
    return None


def explain(exc: BaseException, settings: Settings) -> str | None:
    """One line saying why newsbot cannot start here and what to do; None for anything else."""
    return _bot_api_failure(exc, settings) or _database_failure(exc, settings)
