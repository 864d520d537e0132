"""A loopback feed server for fetch and poll tests: routes answer as a newsroom's server might."""

from __future__ import annotations

import asyncio
import gzip

from aiohttp import web

from tests.digests.ingest import feeds


class FeedServer:
    """Serves feeds on 127.0.0.1 and records the requests it got."""

    def __init__(self):
        self.requests: list[web.Request] = []
        self.app = web.Application()
        self.app.router.add_get("/rss", self.rss)
        self.app.router.add_get("/gzip", self.gzipped)
        self.app.router.add_get("/big", self.big)
        self.app.router.add_get("/redirect/{n}", self.redirect)
        self.app.router.add_get("/slow", self.slow)
        self.app.router.add_get("/broken", self.broken)
        self.app.router.add_get("/gone", self.gone)
        self.app.router.add_get("/many", self.many)
        self.runner = web.AppRunner(self.app)
        self.base = ""
        # /slow answers only when the server stops: a client times out, and nobody waits on.
        self.released = asyncio.Event()

    async def start(self) -> None:
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        self.released.set()
        await self.runner.cleanup()

    async def rss(self, request: web.Request) -> web.Response:
        self.requests.append(request)
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304, headers={"ETag": '"v1"'})
        return web.Response(
            body=feeds.RSS20,
            content_type="application/rss+xml",
            headers={
                "ETag": '"v1"',
                "Last-Modified": "Mon, 02 Nov 2026 10:00:00 GMT",
                "Cache-Control": "max-age=3600",
            },
        )

    async def gzipped(self, request: web.Request) -> web.Response:
        self.requests.append(request)
        return web.Response(
            body=gzip.compress(feeds.RSS20),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"},
        )

    async def big(self, request: web.Request) -> web.StreamResponse:
        # A gzip bomb: small on the wire, far over the cap once inflated.
        return web.Response(
            body=gzip.compress(b" " * 5_000_000),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/xml"},
        )

    async def redirect(self, request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        raise web.HTTPFound("/rss" if n == 0 else f"/redirect/{n - 1}")

    async def slow(self, request: web.Request) -> web.Response:
        await self.released.wait()
        return web.Response(body=feeds.RSS20)

    async def many(self, request: web.Request) -> web.Response:
        # 250 items (more than one store chunk), one with a character reference to a surrogate.
        items = "".join(
            f"<item><title>Report {n} on the harbour</title><link>/many/{n}</link>"
            f"<description>Item {n} {'&#xD800;' if n == 120 else ''} of the day.</description>"
            "<pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>"
            for n in range(1, 251)
        )
        body = f'<rss version="2.0"><channel><title>Many</title>{items}</channel></rss>'
        return web.Response(body=body.encode(), content_type="application/rss+xml")

    async def broken(self, request: web.Request) -> web.Response:
        return web.Response(body=b"<html>not a feed", content_type="text/html")

    async def gone(self, request: web.Request) -> web.Response:
        return web.Response(status=503, headers={"Retry-After": "120"})
