"""`newsbot send`: a worker that only sends (the outbox sender, without the bot's handlers)."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING

import click

from bot.cli.common import ensure_schema, fail, listen_sockets, migrate_option

if TYPE_CHECKING:
    from digests.config import Settings


@click.command()
@migrate_option
@click.pass_obj
def send(settings: Settings, apply: bool | None) -> None:
    """Send what the outbox holds, at Telegram's limits, until SIGTERM."""
    from bot.sending import serve_sender
    from digests.config import SettingsError

    try:
        _ = settings.token
    except SettingsError as exc:
        fail(str(exc))
    ensure_schema(settings, apply=apply)
    _, metrics_socket = listen_sockets(settings, webhook=False)
    sys.exit(asyncio.run(serve_sender(settings, metrics_socket)))
