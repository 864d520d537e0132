"""A role only one process may hold per database: long polling (Telegram answers a second
getUpdates with 409 Conflict, so a second polling process would only fight the first).

On PostgreSQL a session-level advisory lock on a connection held for the process's life; it
goes when the process does, crash or not. On SQLite an exclusive `flock` on a file beside the
database file, which the kernel likewise drops with the process.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text

from digests.db import async_url, create_engine


class Taken(Exception):
    """Another live process holds the role."""


def _lock_key(role: str) -> int:
    # A stable signed 64-bit key for pg_try_advisory_lock, derived from the role's name.
    digest = hashlib.sha256(f"newsbot:{role}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@asynccontextmanager
async def exclusive(database_url: str, role: str) -> AsyncIterator[None]:
    """Hold `role` on this database while the block runs; Taken when another process does."""
    url = async_url(database_url)
    if url.get_backend_name() == "postgresql":
        engine = create_engine(url, pool_size=1, max_overflow=0)
        try:
            async with engine.connect() as connection:
                held = await connection.scalar(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": _lock_key(role)}
                )
                await connection.commit()  # the lock outlives the transaction; no idle one
                if not held:
                    raise Taken(role)
                yield
        finally:
            await engine.dispose()
        return
    if not url.database or url.database == ":memory:":
        yield  # an in-memory database belongs to one process anyway
        return
    path = Path(url.database).with_name(Path(url.database).name + f".{role}.lock")
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Taken(role) from None
        yield
