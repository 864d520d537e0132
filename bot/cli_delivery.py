"""`newsbot send`: a worker that only sends (the outbox sender, without the bot's handlers)."""

from __future__ import annotations

import asyncio
import sys

import click

from digests.config import Settings, SettingsError
from digests.db import async_url


@click.command()
@click.option(
    "--migrate/--no-migrate",
    "apply",
    default=None,
    help="Apply pending migrations first (default: yes on SQLite, no on PostgreSQL).",
)
@click.pass_obj
def send(settings: Settings, apply: bool | None) -> None:
    """Send what the outbox holds, at Telegram's limits, until SIGTERM."""
    from bot.cli import ensure_schema, fail  # bot.cli registers this command
    from bot.delivery import serve_sender

    try:
        _ = settings.token
    except SettingsError as exc:
        fail(str(exc))
    if apply is None:
        apply = async_url(settings.database_url).get_backend_name() == "sqlite"
    ensure_schema(settings, apply=apply)
    sys.exit(asyncio.run(serve_sender(settings)))
