"""What every `newsbot` subcommand shares: one-line failures, the schema check, the database."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    import socket

    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from digests.config import Settings
    from digests.errors import UserError

T = TypeVar("T")


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit."""
    click.echo(f"newsbot: {message}", err=True)
    sys.exit(code)


def user_error_text(settings: Settings, error: UserError) -> str:
    """A user error in the words the bot answers it with (errors/<code>), as plain text."""
    from digests.text.render import Renderer
    from digests.text.telegram_html import plain_text

    renderer = Renderer.from_settings(settings)
    text = renderer.render(error.template, language=settings.default_language, **error.values())
    return plain_text(text)


def database_label(settings: Settings) -> str:
    """The database URL as it may be shown: without its password."""
    from digests.db import async_url

    return async_url(settings.database_url).render_as_string(hide_password=True)


# `run` and `send` both start with the database at the newest revision.
migrate_option = click.option(
    "--migrate/--no-migrate",
    "apply",
    default=None,
    help="Apply pending migrations first (default: yes on SQLite, no on PostgreSQL).",
)


def ensure_schema(settings: Settings, *, apply: bool | None) -> None:
    """Bring the database to the newest revision, or exit saying how when not allowed to.

    `apply=None` applies migrations on SQLite (one process owns the file) and demands them on
    PostgreSQL, where several instances may start at once.
    """
    from digests import migrate
    from digests.db import async_url

    if apply is None:
        apply = async_url(settings.database_url).get_backend_name() == "sqlite"
    current = migrate.current_revision(settings.database_url)
    head = migrate.head_revision()
    if current == head:
        return
    if not apply:
        fail(
            f"the database {database_label(settings)} is at revision {current or 'none'} "
            f"but this newsbot needs {head}: run `newsbot db upgrade` first"
        )
    migrate.upgrade(settings.database_url)
    click.echo(f"database upgraded from {current or 'empty'} to {head}", err=True)


def listen_sockets(
    settings: Settings, *, webhook: bool
) -> tuple[socket.socket | None, socket.socket | None]:
    """The webhook's and the metrics server's sockets, bound now; a taken port is one line."""
    from bot.listeners import ListenError, bind

    try:
        webhook_socket = (
            bind(settings.webhook_listen, settings.webhook_port, "WEBHOOK_PORT")
            if webhook
            else None
        )
        metrics_socket = (
            bind(settings.metrics_listen, settings.metrics_port, "METRICS_PORT")
            if settings.metrics_port is not None
            else None
        )
    except ListenError as exc:
        fail(str(exc))
    return webhook_socket, metrics_socket


async def with_database(
    settings: Settings, work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]
) -> T:
    """Run `work` with a sessionmaker on the configured database, then close the engine."""
    from digests.db import create_engine, create_sessionmaker

    engine = create_engine(settings.database_url)
    try:
        return await work(create_sessionmaker(engine))
    finally:
        await engine.dispose()
