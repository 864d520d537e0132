"""Fetching a feed over HTTP (aiohttp) or from a local file, politely and within bounds.

Errors:
    FetchError          — anything that means "no new document this time", with a reason
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import aiohttp

from digests import __version__

logger = logging.getLogger(__name__)

# What the desk is told for any connection failure, wherever it happened.
CONNECTION_FAILED = "could not connect to the server or read its answer"
DEFAULT_USER_AGENT = f"newsbot/{__version__} (+https://github.com/newsbot; feed reader)"
MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?([0-9]{1,9})", re.IGNORECASE)


class FetchError(Exception):
    """The feed could not be fetched; str(error) is the reason recorded on the source."""

    def __init__(self, reason: str, *, retry_after: int | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchLimits:
    """How long, how much and as whom to fetch."""

    timeout_seconds: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT


@dataclass(frozen=True)
class FetchResult:
    """A fetched document, or (status 304) word that it has not changed."""

    status: int
    body: bytes
    url: str
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    max_age: int | None = None

    @property
    def not_modified(self) -> bool:
        """The server answered 304: nothing new since the last fetch."""
        return self.status == 304


def cache_max_age(cache_control: str | None) -> int | None:
    """Seconds from a Cache-Control header's max-age, or None."""
    if not cache_control:
        return None
    if re.search(r"no-cache|no-store", cache_control, re.IGNORECASE):
        return 0
    match = MAX_AGE.search(cache_control)
    return int(match.group(1)) if match else None


_SECONDS = re.compile(r"[0-9]{1,9}")


def _retry_after(value: str | None) -> int | None:
    # ASCII digits only: str.isdigit() accepts "²", which int() then refuses.
    return int(value.strip()) if value and _SECONDS.fullmatch(value.strip()) else None


def is_local(url: str) -> bool:
    """Whether a source URL names a local file (a path or file://) rather than a web feed."""
    return not url.startswith(("http://", "https://"))


def local_path(url: str) -> Path:
    """The filesystem path of a file:// URL or a plain path."""
    return Path(unquote(urlsplit(url).path)) if url.startswith("file://") else Path(url)


async def read_local(url: str, limits: FetchLimits) -> FetchResult:
    """A local feed file, refused when larger than the size cap."""
    path = local_path(url)

    def _read() -> bytes:
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
        return data

    try:
        data = await asyncio.to_thread(_read)
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > limits.max_bytes:
        raise FetchError(f"larger than the {limits.max_bytes:,}-byte cap")
    return FetchResult(status=200, body=data, url=url)


async def fetch_feed(
    client: aiohttp.ClientSession,
    url: str,
    *,
    limits: FetchLimits,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    """GET a feed with a conditional request; 304 comes back as a result, errors raise."""
    if is_local(url):
        return await read_local(url, limits)
    headers = {
        "User-Agent": limits.user_agent,
        "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
        "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with client.get(
            url,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=limits.timeout_seconds),
            max_redirects=limits.max_redirects,
        ) as response:
            if response.status == 304:
                return FetchResult(
                    status=304,
                    body=b"",
                    url=str(response.url),
                    etag=response.headers.get("ETag") or etag,
                    last_modified=response.headers.get("Last-Modified") or last_modified,
                    max_age=cache_max_age(response.headers.get("Cache-Control")),
                )
            if response.status >= 400:
                raise FetchError(
                    f"HTTP {response.status} {response.reason or ''}".strip(),
                    retry_after=_retry_after(response.headers.get("Retry-After")),
                )
            declared = response.content_length
            if declared is not None and declared > limits.max_bytes:
                raise FetchError(f"larger than the {limits.max_bytes:,}-byte cap")
            body = bytearray()
            # Counted after decompression, so a gzip bomb stops at the cap too.
            async for chunk in response.content.iter_chunked(64 * 1024):
                body.extend(chunk)
                if len(body) > limits.max_bytes:
                    raise FetchError(f"larger than the {limits.max_bytes:,}-byte cap")
            return FetchResult(
                status=response.status,
                body=bytes(body),
                url=str(response.url),
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                content_type=response.headers.get("Content-Type"),
                max_age=cache_max_age(response.headers.get("Cache-Control")),
            )
    except aiohttp.TooManyRedirects:
        raise FetchError(f"more than {limits.max_redirects} redirects") from None
    except TimeoutError:
        raise FetchError(f"timed out after {limits.timeout_seconds:g} s") from None
    except aiohttp.ClientError as exc:
        # One reason for every way a connection fails (refused, reset, a private address,
        # a bad answer): different words would map the network behind the server for the desk.
        logger.info("fetch of %s failed: %s: %s", url[:200], type(exc).__name__, str(exc)[:300])
        raise FetchError(CONNECTION_FAILED) from None
