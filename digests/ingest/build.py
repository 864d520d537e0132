"""Turning one raw entry's fields into an EntryData, or a reason it cannot be one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit

from digests.ingest.entries import (
    MAX_FIELD_CHARS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    EntryData,
)
from digests.ingest.normalize import canonical_url, clean_text, html_to_text, single_line
from digests.text.plain import cut

# A date further ahead than this is a feed's mistake; the article is dated when it was read.
FUTURE_SLACK = timedelta(hours=1)
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


def absolute_http_url(link: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL from a possibly relative link, or None when it is not one."""
    if not link:
        return None
    link = link.strip()
    if base:
        link = urljoin(base, link)
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return link if len(link) <= MAX_FIELD_CHARS else None


def sane_date(value: datetime | None, now: datetime) -> datetime | None:
    """The date in UTC, or None when missing, before 1990 or in the future."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    if value < EARLIEST or value > now + FUTURE_SLACK:
        return None
    return value


def undated_reason(value: datetime | None, now: datetime) -> str:
    """Why a date was not used: missing, in the future, or before 1990 (as sane_date decides)."""
    if value is None:
        return "no usable date"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    shown = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"date in the future ({shown})" if value > now else f"date before 1990 ({shown})"


def build_entry(
    *,
    title: str | None,
    link: str | None,
    guid: str | None,
    body: str | None,
    description: str | None,
    published_at: datetime | None,
    base_url: str | None,
    now: datetime,
    body_is_html: bool = True,
    author: str | None = None,
    image_url: str | None = None,
    language: str | None = None,
    categories: list[str] | tuple[str, ...] = (),
    topics: list[str] | tuple[str, ...] = (),
    source: str | None = None,
    problems: list[str],
    where: str,
) -> EntryData | None:
    """The normalised entry; None (with the reason appended to problems) when it is unusable."""
    text = ""
    if body:
        text = html_to_text(body) if body_is_html else clean_text(body, unescape=False)
    summary = html_to_text(description) if description else ""
    if not text:
        text = summary
    # A GUID stands in for a missing link only when it is itself an absolute web address.
    url = absolute_http_url(link, base_url) or absolute_http_url(guid, None)
    if url is None:
        problems.append(f"{where}: skipped: no link (an article needs a web address)")
        return None
    clean_title = single_line(html_to_text(title)) if title else ""
    if not clean_title:
        if not text:
            problems.append(f"{where}: skipped: no title and no text")
            return None
        clean_title = single_line(text.split("\n", 1)[0])
        clean_title, _ = cut(clean_title, 120)
        problems.append(f"{where}: no title; the first line of the text stands in")
    clean_title, title_cut = cut(clean_title, MAX_TITLE_CHARS)
    if title_cut:
        problems.append(f"{where}: title cut to {MAX_TITLE_CHARS} characters")
    text, text_cut = cut(text, MAX_TEXT_CHARS)
    if text_cut:
        problems.append(f"{where}: text cut to {MAX_TEXT_CHARS:,} characters")
    summary, _ = cut(summary, MAX_TEXT_CHARS)
    date = sane_date(published_at, now)
    if date is None:
        problems.append(f"{where}: {undated_reason(published_at, now)}; dated when read")
    return EntryData(
        title=clean_title,
        url=canonical_url(url),
        text=text,
        description=summary,
        guid=(guid.strip()[:1024] or None) if guid else None,
        published_at=date,
        author=single_line(author)[:255] or None if author else None,
        image_url=absolute_http_url(image_url, base_url),
        language=(language or "").strip()[:16] or None,
        categories=tuple(dict.fromkeys(c for c in (single_line(x)[:128] for x in categories) if c)),
        topics=tuple(dict.fromkeys(t.strip().lower() for t in topics if t and t.strip())),
        source=single_line(source)[:255] if source else None,
    )
