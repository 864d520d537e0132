"""Fetching over loopback HTTP: conditional GET, gzip, caps, redirects, timeouts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from digests.ingest.fetch import FetchError, FetchLimits, fetch_feed
from digests.ingest.guard import open_client
from tests.digests.ingest.server import FeedServer


@pytest.fixture
async def server():
    feed_server = FeedServer()
    await feed_server.start()
    yield feed_server
    await feed_server.stop()


@pytest.fixture
async def client():
    # The feed server is on loopback: these tests opt in, as FETCH_ALLOW_PRIVATE_HOSTS does.
    async with open_client(allow_private_hosts=True) as session:
        yield session


LIMITS = FetchLimits(timeout_seconds=1, max_bytes=1_000_000, user_agent="newsbot-test/1")


async def test_conditional_get_and_user_agent(server, client):
    first = await fetch_feed(client, server.base + "/rss", limits=LIMITS)
    assert (first.status, first.etag, first.max_age) == (200, '"v1"', 3600)
    assert server.requests[0].headers["User-Agent"] == "newsbot-test/1"
    second = await fetch_feed(client, server.base + "/rss", limits=LIMITS, etag=first.etag)
    assert second.not_modified and second.body == b""


async def test_gzip_and_redirects(server, client):
    assert (await fetch_feed(client, server.base + "/gzip", limits=LIMITS)).body.startswith(
        b"<?xml"
    )
    followed = await fetch_feed(client, server.base + "/redirect/2", limits=LIMITS)
    assert followed.url.endswith("/rss")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        await fetch_feed(client, server.base + "/redirect/9", limits=LIMITS)


async def test_caps_timeouts_and_http_errors(server, client):
    with pytest.raises(FetchError, match="byte cap"):
        await fetch_feed(client, server.base + "/big", limits=LIMITS)
    with pytest.raises(FetchError, match=r"timed out after 0\.2 s"):
        await fetch_feed(client, server.base + "/slow", limits=replace(LIMITS, timeout_seconds=0.2))
    with pytest.raises(FetchError, match="HTTP 503") as error:
        await fetch_feed(client, server.base + "/gone", limits=LIMITS)
    assert error.value.retry_after == 120


async def test_local_files(tmp_path, client):
    path = tmp_path / "feed.xml"
    path.write_bytes(b"<rss/>")
    assert (await fetch_feed(client, str(path), limits=LIMITS)).body == b"<rss/>"
    with pytest.raises(FetchError, match="cannot read"):
        await fetch_feed(client, str(tmp_path / "missing.xml"), limits=LIMITS)


def test_a_hostile_retry_after_or_max_age_is_ignored_not_fatal():
    from digests.ingest.fetch import _retry_after, cache_max_age

    assert _retry_after("120") == 120
    assert _retry_after("²") is None and _retry_after("٣") is None and _retry_after("") is None
    assert cache_max_age("max-age=²") is None
