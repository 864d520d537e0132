"""`newsbot db upgrade` and `newsbot db check`: the schema, through Alembic."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from bot.cli.common import database_label, fail

if TYPE_CHECKING:
    from digests.config import Settings


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command()
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@click.pass_obj
def upgrade(settings: Settings, revision: str) -> None:
    """Apply migrations to the database (creating the SQLite file if needed)."""
    from digests import migrate

    before = migrate.current_revision(settings.database_url)
    migrate.upgrade(settings.database_url, revision)
    after = migrate.current_revision(settings.database_url)
    if before == after:
        click.echo(f"{database_label(settings)}: already at {after}, up to date")
    else:
        click.echo(f"{database_label(settings)}: {before or 'empty'} -> {after}")


@db.command()
@click.pass_obj
def check(settings: Settings) -> None:
    """Exit non-zero when the database is behind, or the models differ from the migrations."""
    from digests import migrate

    current, head = migrate.current_revision(settings.database_url), migrate.head_revision()
    if current != head:
        fail(f"database at revision {current or 'none'}, migrations end at {head}", code=1)
    drift = migrate.schema_drift(settings.database_url)
    if drift:
        for difference in drift:
            click.echo(f"  {difference}", err=True)
        fail("the models differ from the migrations: write a revision", code=1)
    click.echo(f"{database_label(settings)}: at {head}, models and migrations agree")
