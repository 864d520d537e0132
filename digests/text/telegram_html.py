"""Telegram's text rules: lengths in UTF-16 code units after entity parsing, splitting on blocks."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
_TAG = re.compile(r"<[^>]*>")
_WEB_SCHEMES = {"http", "https"}


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an astral emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def plain_text(telegram_html: str) -> str:
    """What Telegram HTML reads as: tags parsed away, entities decoded."""
    return html.unescape(_TAG.sub("", telegram_html))


def visible_length(telegram_html: str) -> int:
    """Length of Telegram HTML after its tags are parsed away and entities decoded."""
    return utf16_len(plain_text(telegram_html))


def safe_url(url: str | None, *, web_only: bool = False) -> str:
    """The URL if Telegram can link to it, else an empty string.

    http and https need a host; tg: links are allowed unless `web_only` (a feed or an
    article must be on the web).
    """
    if not url:
        return ""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme in _WEB_SCHEMES:
        return url if parts.hostname else ""
    return url if scheme == "tg" and not web_only else ""


def tracked_url(url: str, utm: str, kind: str) -> str:
    """The link with the newsroom's campaign parameters (`utm`, a query string in which
    `{kind}` names where the link is shown) added; parameters the link has are kept.

    Only what readers click changes: articles are stored and de-duplicated by their
    canonical URL, without these.
    """
    if not url or not utm:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in query}
    added = [
        (key, value.replace("{kind}", kind))
        for key, value in parse_qsl(utm, keep_blank_values=True)
        if key not in present
    ]
    return urlunsplit(parts._replace(query=urlencode(query + added)))


def clip(text: str, limit: int) -> str:
    """Text cut to at most `limit` characters on a word boundary where one is near, with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


class BlockTooLong(ValueError):
    """One block alone is longer than a message may be."""


def pack(
    blocks: Sequence[str], *, limit: int = MESSAGE_LIMIT, separator: str = "\n\n"
) -> list[str]:
    """Join blocks into as few messages as fit `limit`, never splitting a block."""
    return pack_blocks(
        [(block, visible_length(block)) for block in blocks], limit=limit, separator=separator
    )


def pack_blocks(
    blocks: Sequence[tuple[str, int]], *, limit: int = MESSAGE_LIMIT, separator: str = "\n\n"
) -> list[str]:
    """pack() for blocks whose visible lengths are already known."""
    return [
        "".join(separator.join(blocks[i][0] for i in group))
        for group in pack_groups([size for _, size in blocks], limit=limit, separator=separator)
    ]


def pack_groups(
    sizes: Sequence[int], *, limit: int = MESSAGE_LIMIT, separator: str = "\n\n"
) -> list[list[int]]:
    """Which blocks (by index) go into each message, greedily, never splitting a block."""
    groups: list[list[int]] = []
    current: list[int] = []
    used = 0
    gap = utf16_len(separator)
    for index, size in enumerate(sizes):
        if size > limit:
            raise BlockTooLong(f"a block of {size} units cannot fit a message of {limit}")
        if current and used + gap + size > limit:
            groups.append(current)
            current, used = [], 0
        used += size + (gap if current else 0)
        current.append(index)
    if current:
        groups.append(current)
    return groups
