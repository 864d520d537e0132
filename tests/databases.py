"""Test databases: SQLite copies of a migrated template, and a fresh PostgreSQL database."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from digests import migrate
from digests.models import Base

POSTGRES_ENV = "NEWSBOT_TEST_POSTGRES_URL"


def postgres_server_url() -> str | None:
    """The PostgreSQL server tests may create databases on, if configured."""
    return os.environ.get(POSTGRES_ENV) or None


def _plain_dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def _admin(url: str, sql: str) -> None:
    connection = await asyncpg.connect(_plain_dsn(url))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


class PostgresDatabase:
    """A database created fresh for the test session and migrated once."""

    def __init__(self, server_url: str):
        self.server_url = server_url
        self.name = f"newsbot_test_{uuid.uuid4().hex[:10]}"
        self.url = _plain_dsn(server_url, self.name)

    def create(self) -> None:
        """Create the database and migrate it to head."""
        asyncio.run(_admin(self.server_url, f'CREATE DATABASE "{self.name}"'))
        migrate.upgrade(self.url)

    def copy_of(self, template: str) -> None:
        """Create the database as a copy of the database named `template` (no one connected)."""
        asyncio.run(_admin(self.server_url, f'CREATE DATABASE "{self.name}" TEMPLATE "{template}"'))

    def drop(self) -> None:
        """Drop the database."""
        asyncio.run(_admin(self.server_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))

    async def truncate(self) -> None:
        """Empty every table so each test starts from a migrated, empty schema."""
        tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        connection = await asyncpg.connect(self.url)
        try:
            await connection.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        finally:
            await connection.close()


class SqliteTemplate:
    """A SQLite file migrated once; each test gets its own copy."""

    def __init__(self, directory: Path):
        self.path = directory / "template.sqlite3"

    def create(self) -> None:
        """Migrate the template file to head."""
        migrate.upgrade(f"sqlite:///{self.path}")

    def copy_to(self, directory: Path) -> str:
        """A fresh copy in directory; returns its URL."""
        target = directory / "newsbot.sqlite3"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"
