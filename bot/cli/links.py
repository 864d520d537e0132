"""`newsbot links`: the deep links (and QR codes) the newsroom puts on its site."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.cli.common import fail, with_database
from bot.cli.content import _now, _prepare

if TYPE_CHECKING:
    from digests.config import Settings

USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
CAMPAIGN = re.compile(r"^[A-Za-z0-9_-]{1,48}$")
# The campaign of the join link when --campaign is not given: the site's "Join us" box.
SITE_CAMPAIGN = "site"


def _campaign(value: str | None, slugs: list[str]) -> str | None:
    """A campaign that a start payload can carry and that no other payload reads differently."""
    if value is None:
        return None
    if not CAMPAIGN.match(value):
        fail("--campaign: 1-48 characters of A-Z a-z 0-9 _ -")
    if value.lower() in slugs or value.startswith("t-") or re.fullmatch(r"r\d+", value):
        fail(f"--campaign {value!r} would read as a topic or an article link: choose another name")
    return value


async def _gather(settings: Settings, wanted: tuple[str, ...]) -> tuple[str | None, list[Any]]:
    from digests.db import session_scope
    from digests.readers.bot_identity import bot_username
    from digests.readers.subscriptions import active_topics

    async def work(sessionmaker: Any) -> tuple[str | None, list[Any]]:
        async with session_scope(sessionmaker) as session:
            username = await bot_username(session=session, now=_now())
            topics = list(await active_topics(session=session))
        return username, topics

    username, topics = await with_database(settings, work)
    if wanted:
        unknown = sorted(set(wanted) - {t.slug for t in topics})
        if unknown:
            fail(
                f"no such topic: {', '.join(unknown)} (known: {', '.join(t.slug for t in topics)})"
            )
        topics = [t for t in topics if t.slug in wanted]
    return username, topics


@click.command()
@click.option("--topic", "wanted", multiple=True, help="Only this topic slug (repeatable).")
@click.option("--campaign", help="Count joins through these links under this campaign name.")
@click.option(
    "--qr",
    "qr_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write a QR code PNG for each link into this directory.",
)
@click.option("--bot-username", help="The bot's @username (default: from its last start).")
@click.pass_obj
def links(
    settings: Settings,
    wanted: tuple[str, ...],
    campaign: str | None,
    qr_dir: Path | None,
    bot_username: str | None,
) -> None:
    """Print the join link of each topic and the site's "Join us on Telegram" link."""
    from digests.readers.deeplinks import start_link, topics_payload

    _prepare(settings)
    stored, topics = asyncio.run(_gather(settings, tuple(s.lower() for s in wanted)))
    username = (bot_username or stored or "").removeprefix("@")
    if not username:
        fail("the bot's username is not known yet: start `newsbot run` once or pass --bot-username")
    if not USERNAME.match(username):
        fail(f"--bot-username {username!r} is not a Telegram username")
    campaign = _campaign(campaign, [t.slug for t in topics])
    rows: list[tuple[str, str]] = []
    for topic in topics:
        payload = topics_payload([topic.id], {topic.id: topic.slug}, campaign)
        if payload is None:
            fail(f"--campaign is too long to fit with topic {topic.slug} in 64 characters")
        rows.append((f"topic-{topic.slug}", start_link(username, payload)))
    join = campaign or SITE_CAMPAIGN
    rows.append((f"join-{join}", start_link(username, join)))
    if qr_dir is not None:
        _write_codes(qr_dir, rows)
    width = max(len(name) for name, _ in rows)
    for name, link in rows:
        line = f"{name:<{width}}  {link}"
        if qr_dir is not None:
            line += f"  {qr_dir / (name + '.png')}"
        click.echo(line)


def _write_codes(directory: Path, rows: list[tuple[str, str]]) -> None:
    import segno

    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, link in rows:
            segno.make(link, error="m").save(str(directory / f"{name}.png"), scale=8, border=4)
    except OSError as exc:
        fail(f"--qr: cannot write into {directory}: {exc.strerror or exc}")
