"""A digest as it would look now, from the archive, for the terminal (no bot needed)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.editions.assemble import DEFAULT_LIMITS, Limits
from digests.editions.compose import Audience, TopicLabels, compose_edition
from digests.models import Topic
from digests.text.render import Renderer
from digests.text.telegram_html import plain_text

_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)
_BOLD = re.compile(r"<b>(.*?)</b>", re.DOTALL)


class PreviewError(ValueError):
    """The preview's options are wrong; the message says how."""


def parse_duration(text: str) -> timedelta:
    """'24h', '90m', '2d', '1w' → timedelta."""
    match = _DURATION.match(text)
    if not match or int(match.group(1)) == 0:
        raise PreviewError(f"not a duration like 24h, 90m, 2d or 1w: {text!r}")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def to_terminal(telegram_html: str, *, ansi: bool) -> str:
    """Telegram HTML as terminal text: links shown with their address, bold kept with ANSI."""
    # Addresses are still escaped here, so no "<" in them can be mistaken for a tag below.
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", telegram_html)
    if ansi:
        text = _BOLD.sub(lambda m: f"\033[1m{m.group(1)}\033[0m", text)
    return plain_text(text)


async def preview_digest(
    *,
    session: AsyncSession,
    renderer: Renderer,
    now: datetime,
    since: timedelta,
    slugs: Sequence[str] | None,
    language: str,
    timezone: str,
    limits: Limits = DEFAULT_LIMITS,
) -> list[str]:
    """The digest messages (Telegram HTML) for these topics over the last `since`."""
    topics = (
        await session.scalars(select(Topic).where(Topic.active).order_by(Topic.position, Topic.id))
    ).all()
    by_slug = {topic.slug: topic for topic in topics}
    if slugs:
        unknown = [slug for slug in slugs if slug not in by_slug]
        if unknown:
            known = ", ".join(by_slug) or "none yet"
            raise PreviewError(f"unknown topics: {', '.join(unknown)} (known: {known})")
        chosen = [topic for topic in topics if topic.slug in slugs]
    else:
        chosen = list(topics)
    audience = Audience(
        topic_ids=tuple(topic.id for topic in chosen),
        start=now - since,
        end=now,
        language=renderer.language_for(language),
        timezone=timezone,
    )
    labels = TopicLabels(
        names={topic.id: topic.name for topic in topics},
        slugs={topic.id: topic.slug for topic in topics},
        top={topic.id: topic.top_items for topic in topics if topic.top_items},
    )
    composed = await compose_edition(
        session=session,
        renderer=renderer,
        audience=audience,
        labels=labels,
        limits=limits,
        nothing_new=True,
    )
    return [part.text for part in composed.parts]
