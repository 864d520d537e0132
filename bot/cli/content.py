"""`newsbot ingest`, `newsbot sources …` and `newsbot topics …`: the content pipeline's CLI."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from bot.cli.common import ensure_schema, user_error_text, with_database

if TYPE_CHECKING:
    from digests.config import Settings


# Files with at least this many articles show a progress bar while they are ingested.
PROGRESS_FROM = 1000


def _now() -> datetime:
    return datetime.now(UTC)


def _prepare(settings: Settings, *, sync: bool = True) -> None:
    """Migrate (SQLite) or demand migrations, then load the topics and sources file."""
    from digests.db import async_url, session_scope
    from digests.ingest.catalog import CatalogError, load_catalog, sync_catalog

    apply = async_url(settings.database_url).get_backend_name() == "sqlite"
    ensure_schema(settings, apply=apply)
    if not sync:
        return
    try:
        catalog = load_catalog(settings.config_path)
    except CatalogError as exc:
        raise click.ClickException(str(exc)) from None

    async def work(sessionmaker: Any) -> None:
        async with session_scope(sessionmaker) as session:
            await sync_catalog(session=session, catalog=catalog)

    asyncio.run(with_database(settings, work))


async def _read(source: str, settings: Settings) -> bytes:
    import aiohttp

    from digests.ingest.fetch import FetchError, fetch_feed, is_local, local_path
    from digests.ingest.setup import fetch_limits

    if source == "-":
        return sys.stdin.buffer.read()
    if is_local(source):
        try:
            return local_path(source).read_bytes()
        except OSError as exc:
            raise click.ClickException(f"cannot read {source}: {exc.strerror or exc}") from None
    async with aiohttp.ClientSession() as client:
        try:
            result = await fetch_feed(client, source, limits=fetch_limits(settings))
        except FetchError as exc:
            raise click.ClickException(f"cannot fetch {source}: {exc}") from None
    return result.body


@click.command()
@click.argument("source", metavar="PATH|URL|-")
@click.option("--verbose", "-v", is_flag=True, help="List every problem, not only the first 20.")
@click.pass_obj
def ingest(settings: Settings, source: str, verbose: bool) -> None:
    """Ingest a feed file, a feed URL, or JSON Lines of articles (- reads standard input)."""
    from digests.ingest.push import ingest_document
    from digests.ingest.setup import enrich_settings
    from digests.ingest.store import Pipeline

    _prepare(settings)
    data = asyncio.run(_read(source, settings))
    with contextlib.ExitStack() as stack:
        bars: list[Any] = []

        def on_total(total: int) -> None:
            # Small files finish before a bar would say anything.
            if total >= PROGRESS_FROM:
                bar = click.progressbar(length=total, label="articles", file=sys.stderr)
                bars.append(stack.enter_context(bar))

        def progress(count: int) -> None:
            for bar in bars:
                bar.update(count)

        async def work(sessionmaker: Any) -> Any:
            return await ingest_document(
                sessionmaker=sessionmaker,
                data=data,
                origin=None if source == "-" else source,
                pipeline=Pipeline(enrich_settings(settings)),
                now=_now(),
                progress=progress,
                on_total=on_total,
            )

        report = asyncio.run(with_database(settings, work))
    click.echo(f"added {report.added}, updated {report.updated}, skipped {report.skipped_total}")
    for reason, count in report.skipped.most_common():
        click.echo(f"  skipped {count}: {reason}")
    shown = report.problems if verbose else report.problems[:20]
    for problem in shown:
        click.echo(f"  {problem}", err=True)
    if len(report.problems) > len(shown):
        click.echo(f"  … and {len(report.problems) - len(shown)} more (--verbose)", err=True)


@click.group()
def sources() -> None:
    """List, add, remove, pause and resume the feeds newsbot polls."""


def _run_source_command(settings: Settings, action: Any) -> Any:
    """Run one source change in a session; a refusal is one line worded like the desk's."""
    from digests.db import session_scope
    from digests.errors import UserError

    _prepare(settings)

    async def work(sessionmaker: Any) -> Any:
        async with session_scope(sessionmaker) as session:
            return await action(session)

    try:
        return asyncio.run(with_database(settings, work))
    except UserError as exc:
        raise click.ClickException(user_error_text(settings, exc)) from None


@sources.command("add")
@click.argument("url", metavar="URL|PATH")
@click.option("--title", help="A name for the source.")
@click.option("--topic", "topics", multiple=True, help="A default topic slug (repeatable).")
@click.option("--priority", default=0, show_default=True, help="Higher is polled first.")
@click.pass_obj
def sources_add(
    settings: Settings, url: str, title: str | None, topics: tuple[str, ...], priority: int
) -> None:
    """Add a feed URL or a local feed file."""
    from digests.desk.sources_admin import add_source

    async def action(session: Any) -> Any:
        return await add_source(
            session=session,
            url=url,
            now=_now(),
            topics=topics,
            title=title,
            priority=priority,
            local_files=True,
        )

    source = _run_source_command(settings, action)
    click.echo(f"added source {source.id}: {source.url}")


@sources.command("list")
@click.pass_obj
def sources_list(settings: Settings) -> None:
    """Every source with its status, failures and next fetch time."""
    from digests.desk.sources_admin import sources_health

    async def action(session: Any) -> Any:
        return await sources_health(session=session, now=_now())

    for item in _run_source_command(settings, action):
        s = item.source
        when = s.next_fetch_at.strftime("%Y-%m-%d %H:%M UTC") if s.next_fetch_at else "now"
        line = f"{s.id:>4}  {s.status.value:<6}  {s.kind.value:<4}  next {when}  {s.url}"
        line += f"  {item.articles_24h} in 24 h"
        if s.error_count:
            line += f"  ({s.error_count} failures: {s.last_error})"
        if s.paused_reason:
            line += f"  [paused: {s.paused_reason}]"
        line += f"  from {s.origin or 'unknown'}"
        click.echo(line)


@sources.command("remove")
@click.argument("key", metavar="ID|URL")
@click.pass_obj
def sources_remove(settings: Settings, key: str) -> None:
    """Remove a source (its articles stay in the archive)."""
    from digests.desk.sources_admin import remove_source

    async def action(session: Any) -> Any:
        return await remove_source(session=session, key=key, now=_now())

    source = _run_source_command(settings, action)
    click.echo(f"removed source {source.id}: {source.url}")


@sources.command("pause")
@click.argument("key", metavar="ID|URL")
@click.option("--reason", default="paused by an admin", show_default=True)
@click.pass_obj
def sources_pause(settings: Settings, key: str, reason: str) -> None:
    """Stop polling a source until it is resumed."""
    from digests.desk.sources_admin import pause_source

    async def action(session: Any) -> Any:
        return await pause_source(session=session, key=key, reason=reason, now=_now())

    source = _run_source_command(settings, action)
    click.echo(f"paused source {source.id}: {source.url}")


@sources.command("resume")
@click.argument("key", metavar="ID|URL")
@click.pass_obj
def sources_resume(settings: Settings, key: str) -> None:
    """Poll a paused source again at the next run, its failures forgotten."""
    from digests.desk.sources_admin import resume_source

    async def action(session: Any) -> Any:
        return await resume_source(session=session, key=key, now=_now())

    source = _run_source_command(settings, action)
    click.echo(f"resumed source {source.id}: {source.url}")


@click.group()
def topics() -> None:
    """Manage topic tagging."""


@topics.command("retag")
@click.pass_obj
def topics_retag(settings: Settings) -> None:
    """Load the topic rules from the config file and re-tag the whole archive."""
    from digests.db import session_scope
    from digests.enrich.retag import retag_archive

    _prepare(settings)

    async def work(sessionmaker: Any) -> int:
        done, last = 0, 0
        while True:
            async with session_scope(sessionmaker) as session:
                last, count = await retag_archive(session=session, after_id=last)
            if not count:
                return done
            done += count

    done = asyncio.run(with_database(settings, work))
    click.echo(f"re-tagged {done} articles with the current topic rules")
