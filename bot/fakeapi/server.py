"""FakeBotAPIServer: the FakeBotAPI core served over loopback HTTP with aiohttp.

Use it in the test's loop (``async with FakeBotAPIServer(api) as server``) or in a
thread with its own loop (``server = FakeBotAPIServer(api).start_in_thread()`` …
``server.stop()``), e.g. for a ``newsbot run`` subprocess. The FakeBotAPI
waiting helpers work across threads (see waiting.py); from a thread without an
event loop use the ``*_sync`` variants.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading

from aiohttp import web

from .core import FakeBotAPI
from .faults import InjectedDisconnect, InjectedTimeout, error_body
from .jsontypes import JSON
from .params import file_info

__all__ = ["FakeBotAPIServer"]

_JSON_CONTENT = "application/json"
_UNAUTHORIZED = json.dumps(error_body(401, "Unauthorized")).encode()
_NOT_FOUND = json.dumps(error_body(404, "Not Found")).encode()


async def _read_params(request: web.Request) -> JSON:
    params: JSON = dict(request.query) if request.query_string else {}
    if request.method != "POST" or not request.body_exists:
        return params
    if request.content_type == _JSON_CONTENT:
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params
    form = await request.post()  # urlencoded or multipart; file parts become FileField
    for name in form:
        value = form[name]
        if isinstance(value, web.FileField):
            params[name] = file_info(value.filename, value.file.read(), value.content_type)
        else:
            params[name] = value
    return params


class FakeBotAPIServer:
    """Serves ``/bot<token>/<method>`` on 127.0.0.1; ``base_url`` is PTB's ``base_url``."""

    def __init__(
        self,
        api: FakeBotAPI,
        *,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        hang_seconds: float = 30.0,
    ) -> None:
        self.api = api
        self.token = token  # None accepts any token
        self.host = host
        self.port = port
        self.hang_seconds = hang_seconds  # how long a Timeout fault stalls a request
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._inflight: set[asyncio.Task[object]] = set()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/bot``, for ``Bot(token, base_url=...)``."""
        return f"http://{self.host}:{self.port}/bot"

    # ---------------------------------------------------------------- in this loop
    async def start(self) -> FakeBotAPIServer:
        """Bind and serve in the running loop."""
        app = web.Application(client_max_size=64 * 1024 * 1024)  # Telegram allows 50 MB
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._file)
        # handler_cancellation: a client that gives up (timeout, disconnect) frees the handler.
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=0.5
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._closing = asyncio.Event()
        return self

    async def aclose(self) -> None:
        """Stop serving; stalled (Timeout) requests are released first."""
        if self._closing is not None:
            self._closing.set()
        for task in list(self._inflight):  # long polls would hold up shutdown otherwise
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPIServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ----------------------------------------------------------------- in a thread
    def start_in_thread(self, timeout: float = 10.0) -> FakeBotAPIServer:
        """Serve from a daemon thread with its own event loop; return once listening."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = self._loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self.aclose())
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._thread = threading.Thread(target=run, name="FakeBotAPIServer", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise TimeoutError("FakeBotAPIServer did not start")
        if failure:
            raise failure[0]
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop a ``start_in_thread`` server; returns when its thread has ended."""
        if self._thread is None or self._loop is None:
            raise RuntimeError("not started with start_in_thread(); use aclose()")
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        self._thread = None

    def __enter__(self) -> FakeBotAPIServer:
        return self if self._thread else self.start_in_thread()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -------------------------------------------------------------------- handlers
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        task = asyncio.current_task()
        if task is None:  # pragma: no cover - aiohttp always runs handlers in tasks
            return await self._answer(request)
        self._inflight.add(task)
        try:
            return await self._answer(request)
        finally:
            self._inflight.discard(task)

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        if self.token is not None and request.match_info["token"] != self.token:
            return web.Response(body=_UNAUTHORIZED, status=401, content_type=_JSON_CONTENT)
        try:
            params = await _read_params(request)
        except (ValueError, UnicodeDecodeError):
            body = error_body(400, "Bad Request: can't parse request body")
            return web.Response(
                body=json.dumps(body).encode(), status=400, content_type=_JSON_CONTENT
            )
        try:
            body = await self.api.handle_async(request.match_info["method"], params)
        except InjectedTimeout as exc:
            await self._stall(exc.fault.hang or self.hang_seconds)
            self._drop(request)
            raise asyncio.CancelledError from None  # nothing may be written any more
        except InjectedDisconnect:
            self._drop(request)
            raise asyncio.CancelledError from None
        status = 200 if body.get("ok") else int(body.get("error_code") or 500)
        return web.Response(
            body=json.dumps(body).encode(), status=status, content_type=_JSON_CONTENT
        )

    async def _file(self, request: web.Request) -> web.Response:
        if self.token is not None and request.match_info["token"] != self.token:
            return web.Response(body=_UNAUTHORIZED, status=401, content_type=_JSON_CONTENT)
        content = self.api.download_file(str(request.url.path))
        if content is None:
            return web.Response(body=_NOT_FOUND, status=404, content_type=_JSON_CONTENT)
        return web.Response(body=content, content_type="application/octet-stream")

    async def _stall(self, seconds: float) -> None:
        assert self._closing is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    @staticmethod
    def _drop(request: web.Request) -> None:
        if request.transport is not None:
            request.transport.close()
