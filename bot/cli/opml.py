"""`newsbot sources import FILE.opml` and `newsbot sources export`: OPML lists in and out."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.cli.common import with_database
from bot.cli.content import _now, _prepare, _run_source_command

if TYPE_CHECKING:
    from digests.config import Settings


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def sources_import(settings: Settings, path: Path) -> None:
    """Add the feeds of an OPML file; repeats and outlines without a feed are reported."""
    from digests.desk.opml import MAX_OPML_BYTES, MAX_OPML_FEEDS, import_opml
    from digests.text.render import Renderer
    from digests.text.telegram_html import plain_text

    if path.stat().st_size > MAX_OPML_BYTES:
        raise click.ClickException(f"{path} is larger than {MAX_OPML_BYTES} bytes")
    data = path.read_bytes()

    async def action(session: Any) -> Any:
        return await import_opml(session=session, data=data, now=_now())

    report = _run_source_command(settings, action)
    text = Renderer.from_settings(settings).render(
        "desk/opml_report.html",
        language=settings.default_language,
        shown=None,
        limit=MAX_OPML_FEEDS,
        **vars(report),
    )
    click.echo(plain_text(text))
    if report.broken:
        raise SystemExit(1)


@click.command("export")
@click.pass_obj
def sources_export(settings: Settings) -> None:
    """Print every web feed as an OPML 2.0 document (its topics as categories)."""
    from digests.db import session_scope
    from digests.desk.opml import export_opml

    _prepare(settings)

    async def work(sessionmaker: Any) -> str:
        async with session_scope(sessionmaker) as session:
            return await export_opml(session=session)

    click.echo(asyncio.run(with_database(settings, work)))
