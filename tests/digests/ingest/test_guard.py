"""No fetch reaches loopback or a private network, in any spelling, redirects included."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver

from digests.ingest.fetch import CONNECTION_FAILED, FetchError, FetchLimits, fetch_feed
from digests.ingest.guard import (
    PublicConnector,
    PublicResolver,
    is_private_host,
    is_public,
    open_client,
)
from tests.digests.ingest.server import FeedServer

LIMITS = FetchLimits(timeout_seconds=2, max_bytes=1_000_000)

PRIVATE_HOSTS = [
    "127.0.0.1",
    "localhost",
    "LOCALHOST.",
    "feeds.localhost",
    "[::1]",
    "0x7f000001",
    "0177.0.0.1",
    "2130706433",
    "127.1",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[64:ff9b::7f00:1]",
    "[2002:7f00:1::]",
    "0.0.0.0",
    "[::]",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "[fe80::1]",
    "[fd00::1]",
    "100.64.0.1",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
]


@pytest.mark.parametrize("host", PRIVATE_HOSTS)
def test_a_private_host_in_any_spelling_is_seen_when_added(host):
    assert is_private_host(f"http://{host}:8080/feed.xml")


@pytest.mark.parametrize(
    "url", ["https://feeds.example/a.xml", "http://8.8.8.8/rss", "http://[2606:4700::1111]/"]
)
def test_public_hosts_are_not(url):
    assert not is_private_host(url)


def test_mapped_and_embedded_addresses_follow_the_ipv4_inside():
    assert not is_public(ipaddress.ip_address("::ffff:10.0.0.1"))
    assert is_public(ipaddress.ip_address("::ffff:8.8.8.8"))
    assert not is_public(ipaddress.ip_address("224.0.1.1"))  # global, but multicast


@pytest.fixture
async def server():
    feed_server = FeedServer()
    await feed_server.start()
    yield feed_server
    await feed_server.stop()


def _port(server: FeedServer) -> int:
    return int(server.base.rsplit(":", 1)[1])


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "0x7f000001", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]", "[::1]"],
)
async def test_the_default_client_never_connects_to_loopback(server, host):
    async with open_client() as client:
        with pytest.raises(FetchError) as error:
            await fetch_feed(client, f"http://{host}:{_port(server)}/rss", limits=LIMITS)
    assert str(error.value) == CONNECTION_FAILED
    assert server.requests == []


async def test_the_opt_in_reaches_loopback(server):
    async with open_client(allow_private_hosts=True) as client:
        result = await fetch_feed(client, f"http://localhost:{_port(server)}/rss", limits=LIMITS)
    assert result.status == 200 and len(server.requests) == 1


class _FixedResolver(AbstractResolver):
    """A DNS that answers every name with the given addresses."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses

    async def resolve(self, host, port=0, family=socket.AF_INET):
        return [
            {"hostname": host, "host": a, "port": port, "family": family, "proto": 0, "flags": 0}
            for a in self.addresses
        ]

    async def close(self) -> None:
        pass


async def test_a_name_is_connected_only_to_its_public_answers(server):
    # The only answer is loopback (a DNS name pointed at the server itself): refused.

    resolver = PublicResolver(_FixedResolver("127.0.0.1"))
    async with aiohttp.ClientSession(connector=PublicConnector(resolver=resolver)) as client:
        with pytest.raises(FetchError, match=CONNECTION_FAILED):
            await fetch_feed(client, f"http://feeds.example:{_port(server)}/rss", limits=LIMITS)
    assert server.requests == []


class _Redirector:
    """A "public" server (127.0.0.1, allowed by the test's policy) redirecting elsewhere."""

    def __init__(self, target: str) -> None:
        self.app = web.Application()
        self.app.router.add_get("/feed", self.redirect)
        self.target = target
        self.runner = web.AppRunner(self.app)

    async def redirect(self, request: web.Request) -> web.Response:
        raise web.HTTPFound(self.target)

    async def start(self) -> int:
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        return site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]


@pytest.mark.parametrize("target_host", ["127.0.0.2", "internal.example"])
async def test_a_redirect_to_a_private_address_is_refused(target_host):

    # 127.0.0.2 is the "private" server; 127.0.0.1 plays a public host for this test.
    hidden = FeedServer()
    await hidden.runner.setup()
    site = web.TCPSite(hidden.runner, "127.0.0.2", 0)
    await site.start()
    hidden_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    redirector = _Redirector(f"http://{target_host}:{hidden_port}/rss")
    port = await redirector.start()

    def policy(ip):
        return ip == ipaddress.ip_address("127.0.0.1")

    resolver = PublicResolver(_FixedResolver("127.0.0.2"), allow=policy)
    connector = PublicConnector(resolver=resolver, allow=policy)
    try:
        async with aiohttp.ClientSession(connector=connector) as client:
            with pytest.raises(FetchError, match=CONNECTION_FAILED):
                await fetch_feed(client, f"http://127.0.0.1:{port}/feed", limits=LIMITS)
    finally:
        await redirector.runner.cleanup()
        await hidden.stop()
    assert hidden.requests == []


async def test_connection_failures_all_read_the_same(server):
    """Refused, reset mid-answer and garbage all give one reason (no port scanning)."""

    async def reset(reader, writer):
        await reader.read(100)
        writer.close()

    async def garbage(reader, writer):
        await reader.read(100)
        writer.write(b"SSH-2.0-OpenSSH_9.6\r\n")
        await writer.drain()
        writer.close()

    servers = [await asyncio.start_server(h, "127.0.0.1", 0) for h in (reset, garbage)]
    ports = [s.sockets[0].getsockname()[1] for s in servers]
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    ports.append(closed.getsockname()[1])  # bound, never listening: connection refused
    reasons = set()
    try:
        async with open_client(allow_private_hosts=True) as client:
            for port in ports:
                with pytest.raises(FetchError) as error:
                    await fetch_feed(client, f"http://127.0.0.1:{port}/rss", limits=LIMITS)
                reasons.add(str(error.value))
    finally:
        closed.close()
        for s in servers:
            s.close()
    assert reasons == {CONNECTION_FAILED}
