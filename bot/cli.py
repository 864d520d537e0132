"""The `newsbot` command line: run the bot, manage the database, and the tools later added."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from digests import __version__, migrate
from digests.catalog import CatalogError, load_catalog
from digests.config import Settings, SettingsError, load_settings
from digests.db import async_url
from digests.logs import configure_logging


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit."""
    click.echo(f"newsbot: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsbot")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """newsbot: a newsroom's digests, breaking alerts and archive on Telegram."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        fail(str(exc))
    secrets = [
        s.get_secret_value() for s in (settings.telegram_bot_token, settings.webhook_secret) if s
    ]
    configure_logging(settings.log_level, secrets)
    ctx.obj = settings


def _database_label(settings: Settings) -> str:
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
    if apply is None:
        apply = async_url(settings.database_url).get_backend_name() == "sqlite"
    current = migrate.current_revision(settings.database_url)
    head = migrate.head_revision()
    if current == head:
        return
    if not apply:
        fail(
            f"the database {_database_label(settings)} is at revision {current or 'none'} "
            f"but this newsbot needs {head}: run `newsbot db upgrade` first"
        )
    migrate.upgrade(settings.database_url)
    click.echo(f"database upgraded from {current or 'empty'} to {head}", err=True)


@cli.command()
@migrate_option
@click.pass_obj
def run(settings: Settings, apply: bool | None) -> None:
    """Run the bot: long polling, or a webhook server when WEBHOOK_URL is set."""
    from telegram import Update

    from bot.app import build_application

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


@cli.group()
def db() -> None:
    """Manage the database schema."""


@db.command()
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@click.pass_obj
def upgrade(settings: Settings, revision: str) -> None:
    """Apply migrations to the database (creating the SQLite file if needed)."""
    before = migrate.current_revision(settings.database_url)
    migrate.upgrade(settings.database_url, revision)
    after = migrate.current_revision(settings.database_url)
    click.echo(f"{_database_label(settings)}: {before or 'empty'} -> {after}")


@db.command()
@click.pass_obj
def check(settings: Settings) -> None:
    """Exit non-zero when the database is behind, or the models differ from the migrations."""
    current, head = migrate.current_revision(settings.database_url), migrate.head_revision()
    if current != head:
        fail(f"database at revision {current or 'none'}, migrations end at {head}", code=1)
    drift = migrate.schema_drift(settings.database_url)
    if drift:
        for difference in drift:
            click.echo(f"  {difference}", err=True)
        fail("the models differ from the migrations: write a revision", code=1)
    click.echo(f"{_database_label(settings)}: at {head}, models and migrations agree")


def _register_subcommands() -> None:
    # Imported here: the subcommand modules import `fail` from this one.
    from bot.cli_content import ingest, sources, topics
    from bot.cli_delivery import send
    from bot.cli_desk import stats
    from bot.cli_digests import preview

    cli.add_command(preview)
    cli.add_command(ingest)
    cli.add_command(sources)
    cli.add_command(topics)
    cli.add_command(send)
    cli.add_command(stats)


def main() -> None:
    """Console-script entry point."""
    _register_subcommands()
    cli(prog_name="newsbot")
