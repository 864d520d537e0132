"""JSON Feed 1.0/1.1 documents and JSON Lines of pushed articles, from bytes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from digests.ingest.build import build_entry
from digests.ingest.entries import MAX_ENTRIES, ParsedFeed

JSON_FEED_VERSION_PREFIX = "https://jsonfeed.org/version/"


def looks_like_json(data: bytes) -> bool:
    """Whether the document starts like JSON (an object), not like XML."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return head == b"{"


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def parse_date(value: Any) -> datetime | None:
    """An RFC 3339 / ISO 8601 date string, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _json_feed(document: dict[str, Any], *, base_url: str | None, now: datetime) -> ParsedFeed:
    result = ParsedFeed(format="json", title=_text(document.get("title")))
    items = document.get("items")
    if not isinstance(items, list):
        result.problems.append("feed: JSON Feed without an items list")
        return result
    base = _text(document.get("home_page_url")) or base_url
    language = _text(document.get("language"))
    for index, item in enumerate(items[:MAX_ENTRIES], start=1):
        if not isinstance(item, dict):
            result.problems.append(f"item {index}: skipped: not an object")
            continue
        html = _text(item.get("content_html"))
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        author = next((a.get("name") for a in authors if isinstance(a, dict)), None)
        built = build_entry(
            title=_text(item.get("title")),
            link=_text(item.get("url")) or _text(item.get("external_url")),
            guid=str(item["id"]) if item.get("id") is not None else None,
            body=html or _text(item.get("content_text")),
            body_is_html=bool(html),
            description=_text(item.get("summary")),
            published_at=parse_date(item.get("date_published") or item.get("date_modified")),
            base_url=base,
            now=now,
            author=_text(author),
            image_url=_text(item.get("image")) or _text(item.get("banner_image")),
            language=_text(item.get("language")) or language,
            categories=_strings(item.get("tags")),
            problems=result.problems,
            where=f"item {index}",
        )
        if built is not None:
            result.entries.append(built)
    return result


def _article_line(
    record: dict[str, Any], *, where: str, base_url: str | None, now: datetime, problems: list[str]
) -> Any:
    html = _text(record.get("html"))
    return build_entry(
        title=_text(record.get("title")),
        link=_text(record.get("url")),
        guid=str(record["guid"]) if record.get("guid") is not None else None,
        body=html or _text(record.get("text")),
        body_is_html=bool(html),
        description=_text(record.get("summary")) or _text(record.get("description")),
        published_at=parse_date(record.get("published")),
        base_url=base_url,
        now=now,
        author=_text(record.get("author")),
        image_url=_text(record.get("image")),
        language=_text(record.get("language")),
        categories=_strings(record.get("categories")),
        topics=_strings(record.get("topics")),
        source=_text(record.get("source")),
        problems=problems,
        where=where,
    )


def parse_json_lines(lines: list[str], *, base_url: str | None, now: datetime) -> ParsedFeed:
    """JSON Lines of articles: title, url, text or html, published, topics, source."""
    result = ParsedFeed(format="jsonl")
    objects = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            result.problems.append(f"line {number}: skipped: not valid JSON ({str(exc)[:80]})")
            continue
        if not isinstance(record, dict):
            result.problems.append(f"line {number}: skipped: not a JSON object")
            continue
        objects += 1
        built = _article_line(
            record, where=f"line {number}", base_url=base_url, now=now, problems=result.problems
        )
        if built is not None:
            result.entries.append(built)
    if objects == 0 and result.problems:
        result.problems.append("feed: no line is a JSON object (not JSON Lines of articles)")
    return result


def parse_json_document(data: bytes, *, base_url: str | None, now: datetime) -> ParsedFeed:
    """A JSON Feed, or JSON Lines when the document is several objects one per line."""
    text = _decode(data)
    try:
        document = json.loads(text)
    except RecursionError:
        return ParsedFeed(format="json", problems=["feed: JSON nested too deeply"])
    except ValueError:
        return parse_json_lines(text.splitlines(), base_url=base_url, now=now)
    if not isinstance(document, dict):
        return ParsedFeed(format="json", problems=["feed: JSON that is not an object"])
    version = _text(document.get("version")) or ""
    if version.startswith(JSON_FEED_VERSION_PREFIX) or "items" in document:
        return _json_feed(document, base_url=base_url, now=now)
    # One pushed article on a single line.
    return parse_json_lines([text.strip()], base_url=base_url, now=now)
