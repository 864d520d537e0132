"""What parsing yields: entries in one shape whatever the feed format, and the problems met."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Bounds on what one entry may bring; larger values are cut, with a logged reason.
MAX_TITLE_CHARS = 500
MAX_TEXT_CHARS = 100_000
MAX_ENTRIES = 5_000
MAX_FIELD_CHARS = 2048


@dataclass(frozen=True)
class EntryData:
    """One article as a feed or a push gave it, normalised (canonical URL, clean text)."""

    title: str
    url: str
    text: str
    description: str = ""
    guid: str | None = None
    published_at: datetime | None = None
    author: str | None = None
    image_url: str | None = None
    language: str | None = None
    categories: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    source: str | None = None


@dataclass
class ParsedFeed:
    """A feed's entries, its own title and TTL, and every problem met while reading it."""

    format: str
    title: str | None = None
    ttl_seconds: int | None = None
    entries: list[EntryData] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def fatal(self) -> bool:
        """True when nothing could be read at all (a broken document, not a quiet feed)."""
        return not self.entries and any(p.startswith("feed:") for p in self.problems)
