"""How a digest looks: rendered from templates into Telegram HTML parts of at most 4096 units."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from digests.editions.assemble import Digest
from digests.render import Renderer
from digests.telegram_text import MESSAGE_LIMIT, pack


@dataclass(frozen=True)
class DigestView:
    """Everything about the reader that changes how a digest is shown (not what is in it)."""

    language: str
    timezone: str
    edition_at: datetime
    topic_names: Mapping[int, str]
    join_url: str | None = None


def render_digest(
    renderer: Renderer,
    digest: Digest,
    view: DigestView,
    *,
    limit: int = MESSAGE_LIMIT,
    cache: dict[tuple[object, ...], str] | None = None,
) -> list[str]:
    """The digest's messages: header, sections of items, footer; split only between items.

    `cache` keeps rendered items and headings between calls: many audiences share articles,
    and an item looks the same wherever the language, zone and edition time are the same.
    """
    values = {"tz": view.timezone, "edition_at": view.edition_at}
    cache = {} if cache is None else cache

    def render(name: str, *, language: str, key: object = None, **context: object) -> str:
        if key is None:
            return renderer.render(name, language=language, **context)
        full_key = (name, language, view.timezone, view.edition_at, key)
        text = cache.get(full_key)
        if text is None:
            text = cache[full_key] = renderer.render(name, language=language, **context)
        return text

    blocks = [
        render(
            "digest/header.html",
            language=view.language,
            topics=[view.topic_names[section.topic_id] for section in digest.sections],
            **values,
        )
    ]
    for section in digest.sections:
        topic = view.topic_names[section.topic_id]
        heading = render("digest/section.html", language=view.language, key=topic, topic=topic)
        for position, item in enumerate(section.items):
            text = render(
                "digest/item.html",
                language=view.language,
                key=(item.article.id, item.more_sources),
                item=item,
                **values,
            )
            # A heading travels with its first item, so no part ends on a bare heading.
            blocks.append(f"{heading}\n{text}" if position == 0 else text)
    blocks.append(render("digest/footer.html", language=view.language, join_url=view.join_url))
    return pack([block for block in blocks if block], limit=limit)


def render_nothing_new(renderer: Renderer, view: DigestView) -> list[str]:
    """The one-message answer when a digest has no new articles."""
    return [
        renderer.render(
            "digest/empty.html",
            language=view.language,
            edition_at=view.edition_at,
            tz=view.timezone,
        )
    ]
