"""The `newsbot` command line: run the bot, manage the database, and the tools later added.

Only click loads with this module: each command imports what it needs (SQLAlchemy, Alembic,
matplotlib, the bot) when it runs, so `newsbot --version` and `--help` answer at once.
"""

from __future__ import annotations

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
    configure_logging(settings.log_level, secrets)
    ctx.obj = settings


@click.command()
@migrate_option
@click.pass_obj
def run(settings: Settings, apply: bool | None) -> None:
    """Run the bot: long polling, or a webhook server when WEBHOOK_URL is set."""
    from telegram import Update

    from bot.app import build_application
    from bot.sending import SENDER_FAILED_KEY
    from digests.config import SettingsError
    from digests.ingest.catalog import CatalogError, load_catalog

    try:
        _ = settings.token
        load_catalog(settings.config_path)
    except (SettingsError, CatalogError) as exc:
        fail(str(exc))
    ensure_schema(settings, apply=apply)
    application = build_application(settings)
    if settings.webhook_url:
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value()
            if settings.webhook_secret
            else None,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    if application.bot_data.get(SENDER_FAILED_KEY):  # logged where it failed
        fail("the sender stopped and could not recover (see the log above)", code=1)


# The one place subcommands are registered (`newsbot --help` lists them alphabetically).
for command in (run, db, preview, ingest, sources, topics, send, stats):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="newsbot")
