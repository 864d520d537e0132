"""`newsbot related URL|ID` (an archived article's related coverage) and
`newsbot related rebuild` (embeddings, stories and links for the whole archive)."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from bot.cli.common import ensure_schema, with_database

if TYPE_CHECKING:
    from digests.config import Settings


class _LookupGroup(click.Group):
    """`newsbot related X`: X is a subcommand's name, or else the article to look up."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_LookupGroup)
def related() -> None:
    """Related coverage: `related URL|ID [--limit N]` looks an article up; `related rebuild`
    recomputes embeddings, stories and links for the whole archive."""


def _apply_migrations(settings: Settings) -> None:
    from digests.db import async_url

    ensure_schema(settings, apply=async_url(settings.database_url).get_backend_name() == "sqlite")


@related.command("show", hidden=True)
@click.argument("reference", metavar="URL|ID")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50))
@click.pass_obj
def related_show(settings: Settings, reference: str, limit: int) -> None:
    """Print an archived article's related coverage: kind, score, link, headline."""
    from digests.archive.lookups import coverage, find_article
    from digests.db import session_scope

    _apply_migrations(settings)

    async def work(sessionmaker: Any) -> Any:
        async with session_scope(sessionmaker) as session:
            article = await find_article(session=session, reference=reference[:2048])
            if article is None:
                return None
            return await coverage(session=session, article_id=article.id, limit=limit)

    found = asyncio.run(with_database(settings, work))
    if found is None:
        raise click.ClickException(f"no archived article has the link or number {reference!r}")
    click.echo(f"#{found.article.id} {found.article.title} <{found.article.url}>")
    rows = [("same story", item) for item in found.same_story]
    rows += [("related", item) for item in found.related]
    if not rows:
        click.echo("  no related coverage yet")
    for kind, item in rows:
        score = "    -" if item.score is None else f"{item.score:.3f}"
        when = item.published_at.strftime("%Y-%m-%d")
        click.echo(f"  {kind:<10}  {score}  {item.url}  #{item.id} {when} {item.title}")


@related.command("rebuild")
@click.option("--batch", default=500, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--fresh", is_flag=True, help="Start over even when an earlier run stopped midway.")
@click.pass_obj
def related_rebuild(settings: Settings, batch: int, fresh: bool) -> None:
    """(Re)compute embeddings, stories and links for the whole archive, resumably."""
    from digests.db import session_scope
    from digests.enrich.linker import Linker
    from digests.enrich.rebuild import rebuild_batch, start_rebuild
    from digests.ingest.setup import enrich_settings

    _apply_migrations(settings)
    options = enrich_settings(settings)
    linker = Linker(options.link, options.embedder)

    async def work(sessionmaker: Any) -> int:
        async with session_scope(sessionmaker) as session:
            start = await start_rebuild(
                session=session, linker=linker, now=datetime.now(UTC), fresh=fresh
            )
        if start.resumed:
            click.echo(f"resuming after article #{start.last_id}", err=True)
        done, last = 0, start.last_id
        with contextlib.ExitStack() as stack:
            bar = stack.enter_context(
                click.progressbar(length=start.remaining, label="articles", file=sys.stderr)
            )
            while True:
                # One transaction per batch: an interrupted run keeps what it finished.
                async with session_scope(sessionmaker) as session:
                    last, count = await rebuild_batch(
                        session=session,
                        linker=linker,
                        after_id=last,
                        now=datetime.now(UTC),
                        batch=batch,
                    )
                if not count:
                    return done
                done += count
                bar.update(count)

    done = asyncio.run(with_database(settings, work))
    click.echo(f"linked {done} articles with embedder {settings.embedder}")
