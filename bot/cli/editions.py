"""`newsbot preview`: what a digest would look like, from the archive, without a bot."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from bot.cli.common import fail

if TYPE_CHECKING:
    from digests.config import Settings


async def _preview(
    settings: Settings, slugs: list[str] | None, since: str, language: str, timezone: str
) -> list[str]:
    from digests.db import create_engine, create_sessionmaker, session_scope
    from digests.editions.assemble import Limits
    from digests.editions.preview import parse_duration, preview_digest
    from digests.ingest.catalog import load_catalog, sync_catalog
    from digests.models import utcnow
    from digests.text.render import Renderer

    engine = create_engine(settings.database_url)
    try:
        sessionmaker = create_sessionmaker(engine)
        async with session_scope(sessionmaker) as session:
            await sync_catalog(session=session, catalog=load_catalog(settings.config_path))
        async with session_scope(sessionmaker) as session:
            return await preview_digest(
                session=session,
                renderer=Renderer.from_settings(settings),
                now=utcnow(),
                since=parse_duration(since),
                slugs=slugs,
                language=language,
                timezone=timezone,
                limits=Limits.of(settings),
            )
    finally:
        await engine.dispose()


@click.command()
@click.option("--topics", help="Comma-separated topic slugs (default: all topics).")
@click.option("--since", default="24h", show_default=True, help="How far back: 90m, 24h, 2d, 1w.")
@click.option(
    "--lang", "language", default=None, help="Language of the digest (default: DEFAULT_LANGUAGE)."
)
@click.option(
    "--tz", "timezone", default=None, help="Time zone for times (default: DEFAULT_TIMEZONE)."
)
@click.option("--html", "raw", is_flag=True, help="Print the Telegram HTML as it would be sent.")
@click.pass_obj
def preview(
    settings: Settings,
    topics: str | None,
    since: str,
    language: str | None,
    timezone: str | None,
    raw: bool,
) -> None:
    """Print the digest the archive would give now (no bot token needed)."""
    from digests import migrate
    from digests.editions.preview import PreviewError, to_terminal

    timezone = timezone or settings.default_timezone
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        fail(f"--tz: unknown time zone {timezone!r}")
    if migrate.current_revision(settings.database_url) is None:
        fail("the archive is empty: run `newsbot db upgrade` and `newsbot ingest FILE` first")
    slugs = [slug.strip() for slug in topics.split(",") if slug.strip()] if topics else None
    try:
        parts = asyncio.run(
            _preview(settings, slugs, since, language or settings.default_language, timezone)
        )
    except PreviewError as exc:
        fail(str(exc))
    ansi = sys.stdout.isatty()
    for number, part in enumerate(parts, start=1):
        if len(parts) > 1:
            click.echo(f"── message {number} of {len(parts)} ──")
        click.echo(part if raw else to_terminal(part, ansi=ansi))
        click.echo()
