"""OPML subscription lists in and out: `newsbot sources import/export` and the desk's file.

Reading is listparser's (feedparser's author); this module only counts what it passes over
(an outline repeating a feed already listed, an outline that names no feed) so that the
operator is told rather than left guessing. Every feed goes through `add_source`, the one
door for a new source, so its rules (web addresses only, no duplicates, …) apply here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

import listparser
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.desk.sources_admin import add_source
from digests.errors import SourceError
from digests.models import Source, SourceKind
from digests.readers.subscriptions import active_topics

MAX_OPML_BYTES = 1_000_000  # a list of thousands of feeds is far smaller
MAX_OPML_FEEDS = 1000
MAX_REPORTED = 200


@dataclass(frozen=True)
class OpmlFeed:
    """One feed outline: its address, title and the category paths around it."""

    url: str
    title: str
    categories: list[list[str]]


@dataclass
class OpmlList:
    """What a file holds: its feeds, and the outlines that are reported instead of stored."""

    feeds: list[OpmlFeed] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    without_url: list[str] = field(default_factory=list)
    broken: bool = False


@dataclass
class OpmlReport:
    """What an import did: sources added, and everything not stored, with why."""

    added: list[Source] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    without_url: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    broken: bool = False
    too_many: int = 0


class _CountingHandler(listparser.Handler):  # type: ignore[misc]
    """listparser's handler, noting the outlines it merges or skips without a word."""

    def __init__(self) -> None:
        super().__init__()
        self.repeated: list[str] = []
        self.without_url: list[str] = []
        self._open: list[dict[str, Any]] = []

    def start_opml_outline(self, attrs: dict[str, str]) -> None:
        url = attrs.get("xmlurl", "").strip()
        if url and url in self.found_urls:
            self.repeated.append(url)
        if self._open:
            self._open[-1]["children"] = True
        label = (attrs.get("text") or attrs.get("title") or "").strip()
        self._open.append({"url": url, "label": label or "(untitled)", "children": False})
        super().start_opml_outline(attrs)

    def end_opml_outline(self) -> None:
        outline = self._open.pop() if self._open else None
        if outline is not None and not outline["url"] and not outline["children"]:
            self.without_url.append(outline["label"][:200])
        super().end_opml_outline()


def read_opml(data: bytes) -> OpmlList:
    """The feeds of an OPML document (bytes: a string would be fetched as a URL by listparser)."""
    handler = _CountingHandler()
    handler.harvest.update(
        {"bozo": False, "bozo_exception": None, "feeds": [], "lists": [], "opportunities": []}
    )
    handler.harvest.update({"meta": {}, "version": ""})
    try:
        handler.feed(data[:MAX_OPML_BYTES].decode("utf-8", errors="replace"))
        handler.close()
    except Exception:
        return OpmlList(broken=True)
    harvest = handler.harvest
    feeds = [
        OpmlFeed(
            url=str(feed["url"]),
            title=str(feed.get("title") or "").strip(),
            categories=[list(path) for path in feed.get("categories", [])],
        )
        for feed in harvest["feeds"]
    ]
    broken = not harvest.get("version", "").startswith("opml")
    return OpmlList(
        feeds=feeds,
        repeated=handler.repeated,
        without_url=handler.without_url,
        broken=broken and not feeds,
    )


def topics_named(categories: Sequence[Sequence[str]], topics: dict[str, str]) -> list[str]:
    """The topic slugs a feed's categories name (by slug or name, any folder level), once."""
    found: list[str] = []
    for path in categories:
        for name in path:
            slug = topics.get(name.strip().lower().lstrip("#"))
            if slug and slug not in found:
                found.append(slug)
    return found


async def import_opml(
    *,
    session: AsyncSession,
    data: bytes,
    now: datetime,
    actor_id: int | None = None,
) -> OpmlReport:
    """Add every new feed of an OPML file; report repeats, outlines without a URL, refusals."""
    parsed = read_opml(data)
    report = OpmlReport(
        duplicates=parsed.repeated[:MAX_REPORTED],
        without_url=parsed.without_url[:MAX_REPORTED],
        broken=parsed.broken,
        too_many=max(0, len(parsed.feeds) - MAX_OPML_FEEDS),
    )
    lookup: dict[str, str] = {}
    for topic in await active_topics(session=session):
        lookup[topic.slug] = lookup[topic.name.lower()] = topic.slug
    for feed in parsed.feeds[:MAX_OPML_FEEDS]:
        try:
            source = await add_source(
                session=session,
                url=feed.url,
                now=now,
                topics=topics_named(feed.categories, lookup),
                title=feed.title or None,
                actor_id=actor_id,
            )
        except SourceError as exc:
            if exc.code == "duplicate_source":
                report.duplicates.append(feed.url[:200])
            else:
                report.refused.append((feed.url[:200], exc.code))
            continue
        report.added.append(source)
    return report


async def export_opml(*, session: AsyncSession, title: str = "newsbot sources") -> str:
    """Every web feed as an OPML 2.0 document, its default topics as categories."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    body = ElementTree.SubElement(root, "body")
    sources = await session.scalars(
        select(Source).where(Source.kind == SourceKind.FEED).order_by(Source.id)
    )
    for source in sources:
        attrs = {"type": "rss", "text": source.title or source.url, "xmlUrl": source.url}
        if source.title:
            attrs["title"] = source.title
        if source.default_topics:
            attrs["category"] = ",".join(f"/{slug}" for slug in source.default_topics)
        ElementTree.SubElement(body, "outline", attrs)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
        root, encoding="unicode"
    )
