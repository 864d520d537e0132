"""The `newsbot` command line: run the bot, manage the database, and the tools later added.

Only click loads with this module: each command imports what it needs (SQLAlchemy, Alembic,
matplotlib, the bot) when it runs, so `newsbot --version` and `--help` answer at once.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from bot.cli.common import ensure_schema, fail, migrate_option
from bot.cli.content import ingest, sources, topics
from bot.cli.db import db
from bot.cli.desk import stats
from bot.cli.editions import preview
from bot.cli.sending import send
from digests import __version__

if TYPE_CHECKING:
    from digests.config import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsbot")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """newsbot: a newsroom's digests, breaking alerts and archive on Telegram."""
    from digests.config import SettingsError, load_settings
    from digests.logs import configure_logging

    try:
        settings = load_settings()
    except SettingsError as exc:
        fail(str(exc))
    secrets = [
        s.get_secret_value() for s in (settings.telegram_bot_token, settings.webhook_secret) if s
    ]
    configure_logging(settings.log_level, secrets, settings.log_format)
    ctx.obj = settings


@click.command()
@migrate_option
@click.pass_obj
def run(settings: Settings, apply: bool | None) -> None:
    """Run the bot: long polling, or a webhook server when WEBHOOK_URL is set."""
    import asyncio

    from bot.app import build_application
    from bot.cli.common import listen_sockets
    from bot.serve import serve
    from digests.config import SettingsError
    from digests.exclusive import Taken
    from digests.ingest.catalog import CatalogError, load_catalog

    try:
        _ = settings.token
        load_catalog(settings.config_path)
    except (SettingsError, CatalogError) as exc:
        fail(str(exc))
    if settings.webhook_url and settings.webhook_secret is None:
        fail(
            "WEBHOOK_SECRET is not set: webhook mode (WEBHOOK_URL) needs a secret of 1-256 "
            "characters A-Z a-z 0-9 _ - so that forged updates are refused"
        )
    ensure_schema(settings, apply=apply)
    webhook_socket, metrics_socket = listen_sockets(settings, webhook=bool(settings.webhook_url))
    application = build_application(settings)
    try:
        code = asyncio.run(
            serve(
                application,
                settings,
                webhook_socket=webhook_socket,
                metrics_socket=metrics_socket,
            )
        )
    except Taken:
        fail(
            "another `newsbot run` is already long polling with this database, and Telegram "
            "lets only one process poll a bot: run several instances in webhook mode "
            "(set WEBHOOK_URL and WEBHOOK_SECRET), or add `newsbot send` workers"
        )
    sys.exit(code)


# The one place subcommands are registered (`newsbot --help` lists them alphabetically).
for command in (run, db, preview, ingest, sources, topics, send, stats):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="newsbot")
