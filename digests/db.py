"""Engines and sessions: one async engine per process, one session per update or job run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from sqlalchemy import Executable, event
from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, CursorResult, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def async_url(url: str | URL) -> URL:
    """The URL with newsbot's async driver for its backend (sqlite → aiosqlite, pg → asyncpg)."""
    parsed = make_url(str(url).replace("postgres://", "postgresql://", 1))
    backend = parsed.get_backend_name()
    if backend not in ASYNC_DRIVERS:
        raise ValueError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")
    if parsed.get_driver_name() in ("aiosqlite", "asyncpg"):
        return parsed
    return parsed.set(drivername=ASYNC_DRIVERS[backend])


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers run beside the writer;
    # busy_timeout makes a second writer wait instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_engine(url: str | URL, **kwargs: Any) -> AsyncEngine:
    """An async engine for a sqlite:/// or postgresql:// URL, configured for newsbot."""
    target = async_url(url)
    if target.get_backend_name() == "sqlite":
        engine = create_async_engine(target, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(target, **kwargs)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The session factory; objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def session_scope(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One transaction: committed when the block ends, rolled back when it raises."""
    async with sessionmaker() as session, session.begin():
        yield session


def is_postgres(session_or_engine: AsyncSession | AsyncEngine) -> bool:
    """Whether the session or engine talks to PostgreSQL (for SKIP LOCKED and tsvector)."""
    bind = (
        session_or_engine.bind if isinstance(session_or_engine, AsyncSession) else session_or_engine
    )
    return bind is not None and bind.dialect.name == "postgresql"


def upsert_into(session: AsyncSession, model: type[Any]) -> PostgresInsert | SqliteInsert:
    """An INSERT for the session's dialect, with its ON CONFLICT clauses (PostgreSQL, SQLite)."""
    return postgres_insert(model) if is_postgres(session) else sqlite_insert(model)


async def rows_changed(session: AsyncSession, statement: Executable) -> int:
    """Run an UPDATE or DELETE in the session; how many rows it changed."""
    result = cast(CursorResult[Any], await session.execute(statement))
    return result.rowcount or 0
