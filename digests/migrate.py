"""Alembic, driven from code: upgrade to head, tell the current revision, detect drift."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from digests.db import async_url, create_engine
from digests.resources import migrations_dir

# Full-text search lives outside the models: an FTS5 table on SQLite, the article_search table
# (kept by a trigger, with a GIN index) on PostgreSQL. Autogenerate must not try to drop them.
FTS_TABLES = ("articles_fts", "article_search")


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, _compare_to: Any
) -> bool:
    """Leave the full-text search objects out of autogenerate's comparison."""
    if name is None:
        return True
    if type_ == "table" and name.startswith(FTS_TABLES):
        return False
    return not (type_ == "index" and name.startswith("ix_article_search_"))


def alembic_config(url: str) -> Config:
    """An Alembic config for the database at url, with the shipped migrations."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", async_url(url).render_as_string(hide_password=False))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to revision (call from synchronous code, outside an event loop)."""
    command.upgrade(alembic_config(url), revision)


def head_revision() -> str:
    """The newest revision the code ships."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _drift(connection: Connection) -> list[Any]:
    from digests.models import Base

    context = MigrationContext.configure(
        connection, opts={"include_object": include_object, "compare_type": True}
    )
    return list(compare_metadata(context, Base.metadata))


async def _run_sync(url: str, fn: Any) -> Any:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(fn)
    finally:
        await engine.dispose()


def current_revision(url: str) -> str | None:
    """The database's revision, or None for an empty database."""
    revision: str | None = asyncio.run(_run_sync(url, _current))
    return revision


def schema_drift(url: str) -> list[Any]:
    """Differences between the models and a migrated database (empty when in step)."""
    drift: list[Any] = asyncio.run(_run_sync(url, _drift))
    return drift
