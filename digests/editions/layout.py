"""How a digest looks: rendered from templates into Telegram HTML parts of at most 4096 units."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from digests.editions.assemble import Digest
from digests.render import Renderer
from digests.telegram_text import MESSAGE_LIMIT, pack_blocks, visible_length


@dataclass(frozen=True)
class DigestView:
    """Everything about the reader that changes how a digest is shown (not what is in it)."""

    language: str
    timezone: str
    edition_at: datetime
    topic_names: Mapping[int, str]
    join_url: str | None = None


Block = tuple[str, int]  # rendered text and its length as Telegram counts it


def render_digest(
    renderer: Renderer,
    digest: Digest,
    view: DigestView,
    *,
    limit: int = MESSAGE_LIMIT,
    cache: dict[tuple[object, ...], Block] | None = None,
) -> list[str]:
    """The digest's messages: header, sections of items, footer; split only between items.

    `cache` keeps rendered blocks between calls: audiences share articles, headings and
    footers, and each looks the same wherever the language, zone and edition time are.
    """
    values = {"tz": view.timezone, "edition_at": view.edition_at}
    cache = {} if cache is None else cache

    def render(name: str, key: object, **context: object) -> Block:
        full_key = (name, view.language, view.timezone, view.edition_at, key)
        block = cache.get(full_key)
        if block is None:
            text = renderer.render(name, language=view.language, **context)
            block = cache[full_key] = (text, visible_length(text))
        return block

    topics = tuple(view.topic_names[section.topic_id] for section in digest.sections)
    blocks = [render("digest/header.html", topics, topics=topics, **values)]
    for section in digest.sections:
        topic = view.topic_names[section.topic_id]
        heading, heading_length = render("digest/section.html", topic, topic=topic)
        for position, item in enumerate(section.items):
            key = (item.article.id, item.more_sources)
            text, length = render("digest/item.html", key, item=item, **values)
            if position == 0:
                # A heading travels with its first item, so no part ends on a bare heading.
                text, length = f"{heading}\n{text}", heading_length + 1 + length
            blocks.append((text, length))
    blocks.append(render("digest/footer.html", view.join_url, join_url=view.join_url))
    return pack_blocks([block for block in blocks if block[0]], limit=limit)


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
