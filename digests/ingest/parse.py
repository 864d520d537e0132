"""Feeds from bytes: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed and JSON Lines.

Nothing here touches the network or the clock: `parse_document(data, base_url=..., now=...)`
returns a ParsedFeed whose `problems` say, one line each, what was skipped or repaired and why.
"""

from __future__ import annotations

import calendar
import logging
import re
from datetime import UTC, datetime
from typing import Any

import feedparser

from digests.ingest.build import build_entry
from digests.ingest.entries import MAX_ENTRIES, ParsedFeed
from digests.ingest.jsonfeed import looks_like_json, parse_json_document
from digests.ingest.xmlbytes import cap_entries, repair_char_refs

logger = logging.getLogger(__name__)

# Entity declarations are how XML bombs (billion laughs, quadratic blow-up) and external
# entities get in; no real feed needs them, so the internal DTD subset is removed before
# parsing. feedparser would keep "safe" ones, and a "safe" 1 MB entity used a million times
# is still a bomb.
DTD_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
UTF_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
XML_DECL_ENCODING = re.compile(rb"^(<\?xml[^>]*?encoding=)([\"'])[^\"']*\2")


def _ascii_compatible(data: bytes) -> bytes | None:
    """UTF-8 bytes of a UTF-16/32 document (by BOM or NUL pattern), else None."""
    head = data[:4]
    encoding = next((enc for bom, enc in UTF_BOMS if data.startswith(bom)), None)
    if encoding is None and b"\x00" in head:
        encoding = "utf-16-be" if head[:1] == b"\x00" else "utf-16-le"
    if encoding in (None, "utf-8"):
        return None
    text = data.decode(encoding, errors="replace").lstrip("\ufeff")
    return XML_DECL_ENCODING.sub(rb"\1\2utf-8\2", text.encode("utf-8"))


def defuse_xml(data: bytes) -> tuple[bytes, str | None]:
    """The document without entity declarations, and a problem line when any were removed."""
    converted = _ascii_compatible(data)
    if converted is not None and ENTITY_DECL.search(converted):
        data = converted
    if not ENTITY_DECL.search(data[:1_000_000]):
        return data, None
    start = re.search(rb"<[A-Za-z_]", data)
    prolog_end = start.start() if start else len(data)
    head, rest = data[:prolog_end], data[prolog_end:]
    head = DTD_SUBSET.sub(b"", head)
    # A subset left unclosed: drop everything from the DOCTYPE to the first element.
    head = re.sub(rb"<!DOCTYPE.*", b"", head, flags=re.IGNORECASE | re.DOTALL)
    return head + rest, "feed: declares XML entities (a possible XML bomb); they were ignored"


def _struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def _image_of(entry: Any) -> str | None:
    for key in ("media_thumbnail", "media_content"):
        for item in entry.get(key) or []:
            if isinstance(item, dict) and item.get("url"):
                return str(item["url"])
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            href = link.get("href")
            return str(href) if href else None
    image = entry.get("image")
    return image.get("href") if isinstance(image, dict) else None


def _ttl_seconds(feed: Any) -> int | None:
    try:
        minutes = int(str(feed.get("ttl", "")).strip())
    except ValueError:
        return None
    return minutes * 60 if 0 < minutes < 100_000 else None


def parse_xml(
    data: bytes, *, base_url: str | None, now: datetime, content_type: str | None = None
) -> ParsedFeed:
    """An RSS or Atom document (feedparser, from bytes; never fetches)."""
    data, defused = defuse_xml(data)
    data, capped = cap_entries(data, MAX_ENTRIES)
    data, repaired = repair_char_refs(data)
    # Without a Content-Type feedparser flags every document as suspect; an HTTP charset
    # given by the server is honoured by passing the real header on.
    headers = {
        "content-location": base_url or "",
        "content-type": content_type or "application/xml",
    }
    parsed = feedparser.parse(
        data,
        response_headers=headers,
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    feed = parsed.get("feed", {})
    result = ParsedFeed(
        format=parsed.get("version") or "xml",
        title=feed.get("title") or None,
        ttl_seconds=_ttl_seconds(feed),
    )
    if defused:
        result.problems.append(defused)
    result.problems.extend(repaired)
    if parsed.get("bozo"):
        error = parsed.get("bozo_exception")
        reason = f"{type(error).__name__}: {error}" if error else "malformed"
        prefix = "feed" if not parsed.entries else "feed (entries recovered)"
        result.problems.append(f"{prefix}: not well-formed XML ({reason[:200]})")
    if not parsed.entries and not parsed.get("version") and not feed:
        if not parsed.get("bozo"):
            result.problems.append("feed: not a feed (no RSS, Atom or JSON Feed found)")
        return result
    language = feed.get("language")
    for index, entry in enumerate(parsed.entries[:MAX_ENTRIES], start=1):
        contents = [c.get("value", "") for c in entry.get("content") or [] if c.get("value")]
        body = max(contents, key=len) if contents else None
        description = entry.get("summary")
        built = build_entry(
            title=entry.get("title"),
            link=entry.get("link"),
            guid=entry.get("id"),
            body=body or description,
            description=description if body else None,
            published_at=_struct_to_datetime(
                entry.get("published_parsed") or entry.get("updated_parsed")
            ),
            base_url=base_url,
            now=now,
            author=entry.get("author"),
            image_url=_image_of(entry),
            language=language,
            categories=[t.get("term") or "" for t in entry.get("tags") or []],
            problems=result.problems,
            where=f"entry {index}",
        )
        if built is not None:
            result.entries.append(built)
    if capped or len(parsed.entries) > MAX_ENTRIES:
        result.problems.append(f"feed: only the first {MAX_ENTRIES} entries were read")
    return result


def parse_document(
    data: bytes, *, base_url: str | None, now: datetime, content_type: str | None = None
) -> ParsedFeed:
    """Any supported document: JSON Feed, JSON Lines of articles, or an XML feed."""
    if not data.strip():
        return ParsedFeed(format="empty", problems=["feed: the document is empty"])
    if looks_like_json(data):
        return parse_json_document(data, base_url=base_url, now=now)
    if content_type and not re.search(r"xml|rss|atom|rdf|text/plain|text/html", content_type):
        content_type = None
    return parse_xml(data, base_url=base_url, now=now, content_type=content_type)
