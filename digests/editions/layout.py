"""How a digest looks: rendered from templates into Telegram HTML parts of at most 4096 units."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from digests.editions.assemble import Digest
from digests.text.render import Renderer
from digests.text.telegram_html import MESSAGE_LIMIT, pack_groups, visible_length


@dataclass(frozen=True)
class DigestView:
    """Everything about the reader that changes how a digest is shown (not what is in it)."""

    language: str
    timezone: str
    edition_at: datetime
    topic_names: Mapping[int, str]
    join_url: str | None = None


Block = tuple[str, int]  # rendered text and its length as Telegram counts it


@dataclass(frozen=True)
class DigestPart:
    """One message of a digest and the articles it shows, numbered from `first_number`."""

    text: str
    article_ids: tuple[int, ...]
    first_number: int


def render_digest(
    renderer: Renderer,
    digest: Digest,
    view: DigestView,
    *,
    limit: int = MESSAGE_LIMIT,
    cache: dict[tuple[object, ...], Block] | None = None,
) -> list[str]:
    """The digest's messages as text (see render_digest_parts)."""
    return [
        part.text for part in render_digest_parts(renderer, digest, view, limit=limit, cache=cache)
    ]


def render_digest_parts(
    renderer: Renderer,
    digest: Digest,
    view: DigestView,
    *,
    limit: int = MESSAGE_LIMIT,
    cache: dict[tuple[object, ...], Block] | None = None,
) -> list[DigestPart]:
    """The digest's messages: header, sections of numbered items, footer; split only between
    items. Items are numbered so the buttons under each message can name them.

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
    article_of: dict[int, int] = {}
    number = 0
    for section in digest.sections:
        topic = view.topic_names[section.topic_id]
        heading, heading_length = render("digest/section.html", topic, topic=topic)
        for position, item in enumerate(section.items):
            number += 1
            key = (item.article.id, item.more_sources)
            text, length = render("digest/item.html", key, item=item, **values)
            label, label_length = render("digest/number.html", number, number=number)
            text, length = f"{label} {text}", label_length + 1 + length
            if position == 0:
                # A heading travels with its first item, so no part ends on a bare heading.
                text, length = f"{heading}\n{text}", heading_length + 1 + length
            article_of[len(blocks)] = item.article.id
            blocks.append((text, length))
    blocks.append(render("digest/footer.html", view.join_url, join_url=view.join_url))
    blocks = [block for block in blocks if block[0]]
    parts, shown = [], 0
    for group in pack_groups([length for _, length in blocks], limit=limit):
        ids = tuple(article_of[index] for index in group if index in article_of)
        text = "\n\n".join(blocks[index][0] for index in group)
        parts.append(DigestPart(text=text, article_ids=ids, first_number=shown + 1))
        shown += len(ids)
    return parts


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


RELATED_CALLBACK = "rl:"
RELATED_PAYLOAD = "r"
BUTTONS_PER_ROW = 5


def related_buttons(
    part: DigestPart, *, channel: bool, bot_username: str | None
) -> dict[str, object] | None:
    """A 'related' button per numbered item of the part, as Bot API reply_markup.

    In a channel nobody can be answered in place, so the buttons open the bot in a private
    chat with a deep link instead.
    """
    buttons = []
    for offset, article_id in enumerate(part.article_ids):
        label = f"🔗 {part.first_number + offset}"
        if channel:
            if not bot_username:
                return None
            link = f"https://t.me/{bot_username}?start={RELATED_PAYLOAD}{article_id}"
            buttons.append({"text": label, "url": link})
        else:
            buttons.append({"text": label, "callback_data": f"{RELATED_CALLBACK}{article_id}"})
    if not buttons:
        return None
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    return {"inline_keyboard": rows}
