"""`newsbot stats`: the desk's figures in the terminal, and the chart as a file if asked."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.cli.common import fail

if TYPE_CHECKING:
    from digests.config import Settings
    from digests.desk.stats import Stats


async def _collect(settings: Settings, days: int) -> Stats:
    from digests.db import create_engine, create_sessionmaker, session_scope
    from digests.desk.stats import collect_stats
    from digests.models import utcnow

    engine = create_engine(settings.database_url)
    try:
        async with session_scope(create_sessionmaker(engine)) as session:
            return await collect_stats(session=session, now=utcnow(), days=days)
    finally:
        await engine.dispose()


@click.command()
@click.option(
    "--days",
    default=14,
    show_default=True,
    type=click.IntRange(1, 365),
    help="How many days back (UTC).",
)
@click.option(
    "--chart",
    "chart_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the /stats chart to this PNG file.",
)
@click.option("--lang", "language", default=None, help="Language (default: DEFAULT_LANGUAGE).")
@click.pass_obj
def stats(settings: Settings, days: int, chart_path: Path | None, language: str | None) -> None:
    """Print the figures /stats shows: subscribers, joins and leaves, deliveries, failures."""
    from bot.keyboards import parse_labels
    from digests import migrate
    from digests.desk.chart import ChartsUnavailable, draw_chart
    from digests.text.render import Renderer

    if migrate.current_revision(settings.database_url) is None:
        fail("the database is empty: run `newsbot db upgrade` first")
    figures = asyncio.run(_collect(settings, days))
    renderer = Renderer.from_settings(settings)
    language = language or settings.default_language
    click.echo(renderer.render("desk/stats.txt", language=language, stats=figures))
    if chart_path is not None:
        labels = parse_labels(renderer.render("desk/chart_labels.txt", language=language))
        try:
            chart_path.write_bytes(draw_chart(figures, labels))
        except ChartsUnavailable:
            fail(renderer.render("desk/charts_missing.txt", language=language), code=1)
        except OSError as exc:
            fail(f"--chart: cannot write {chart_path}: {exc.strerror}")
        click.echo(f"chart: {chart_path}", err=True)
