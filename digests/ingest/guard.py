"""Fetching only from public addresses: no request reaches loopback or a private network.

An editor's feed URL (and every redirect it answers with) is fetched by the server newsbot
runs on, so a URL naming `127.0.0.1`, `[::1]`, `0x7f000001`, a router at `192.168.0.1` or a
name that resolves to one would make newsbot a proxy into its own network. The rules hold on
the address actually connected to: `PublicResolver` drops every non-public address a name
resolves to (the connector connects only to what the resolver returned, so a DNS answer cannot
change between check and connect), and `PublicConnector` refuses an IP-literal host, which
aiohttp connects to without asking the resolver. `is_private_host()` is the early, syntactic
check made when a source is added, so the desk hears why at once.

`FETCH_ALLOW_PRIVATE_HOSTS` turns all of this off (an intranet feed; the tests' loopback feeds).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Policy = Callable[[IPAddress], bool]
# IPv6 prefixes that carry an IPv4 address in their low 32 bits (NAT64, IPv4-compatible).
_EMBEDDING = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("::/96"))


class BlockedAddress(aiohttp.ClientOSError):
    """A fetch refused because its host is not a public address (a ClientError and OSError)."""


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in network for network in _EMBEDDING):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: IPAddress) -> bool:
    """A globally routable unicast address (not loopback, private, link-local, reserved …)."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:  # reaches (or stands for) the IPv4 address inside
            return is_public(embedded)
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_unspecified
    )


def literal_address(host: str) -> IPAddress | None:
    """The address a host names in any spelling ("[::1]", "0x7f000001", "0177.0.0.1"), or None."""
    host = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not host or not all(c in "0123456789abcdefxABCDEFX." for c in host):
        return None
    try:  # the legacy forms inet_aton (and so getaddrinfo) accepts: 127.1, 2130706433, 0x7f.1
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def is_private_host(url: str) -> bool:
    """Whether a web URL's host is visibly not public: an IP literal of that kind or localhost."""
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".").lower()
    except ValueError:
        return True
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    address = literal_address(host)
    return address is not None and not is_public(address)


class PublicResolver(AbstractResolver):
    """The system resolver with every non-public answer dropped; none left is an error."""

    def __init__(self, inner: AbstractResolver | None = None, allow: Policy | None = None) -> None:
        self._inner = inner or DefaultResolver()
        self._address_policy = allow or is_public

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """The public addresses `host` resolves to."""
        answers = await self._inner.resolve(host, port, family)
        public = [
            answer
            for answer in answers
            if (address := literal_address(answer["host"])) and self._address_policy(address)
        ]
        if not public:
            logger.info("fetch refused: %s resolves to no public address", host[:200])
            raise BlockedAddress(f"{host} has no public address")
        return public

    async def close(self) -> None:
        """Close the system resolver."""
        await self._inner.close()


class PublicConnector(aiohttp.TCPConnector):
    """A TCPConnector that refuses IP-literal hosts that are not public (names: the resolver)."""

    def __init__(self, *, allow: Policy | None = None, **options: Any) -> None:
        super().__init__(**options)
        self._address_policy = allow or is_public

    async def connect(self, req: Any, traces: Any, timeout: aiohttp.ClientTimeout) -> Any:
        """Connect, unless the request's host is a non-public address."""
        host = req.url.raw_host or ""
        address = literal_address(host)
        if address is not None and not self._address_policy(address):
            logger.info("fetch refused: %s is not a public address", host[:200])
            raise BlockedAddress(f"{host} is not a public address")
        return await super().connect(req, traces, timeout)


def open_client(*, allow_private_hosts: bool = False) -> aiohttp.ClientSession:
    """The HTTP client every fetch uses; call inside the running event loop."""
    if allow_private_hosts:
        return aiohttp.ClientSession()
    return aiohttp.ClientSession(connector=PublicConnector(resolver=PublicResolver()))
