"""AiohttpRequest: a telegram.request.BaseRequest on aiohttp, for sending at high rates.

PTB's stock HTTPXRequest tops out at a few hundred requests per second on two cores; the
same calls through one keep-alive aiohttp pool reach well past the paid-broadcast 1000/s.

Errors, as PTB expects them from a BaseRequest:
    TimedOut       connecting, waiting for a pooled connection or reading took too long
    NetworkError   any other transport failure (refused, reset, dropped mid-answer)
"""

from __future__ import annotations

import json

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from digests.metrics import BotApiState

_JSON_HEADERS = {"Content-Type": "application/json", "User-Agent": BaseRequest.USER_AGENT}


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a keep-alive pool; use one instance per Bot (or per role)."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_timeout = media_timeout
        self._session: aiohttp.ClientSession | None = None
        self._default_timeout = self._timeout(read_timeout, connect_timeout, pool_timeout)

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds getUpdates' long-poll timeout to it)."""
        return self._read_timeout

    @staticmethod
    def _timeout(
        read: float | None, connect: float | None, pool: float | None
    ) -> aiohttp.ClientTimeout:
        # aiohttp's `connect` covers waiting for a pooled connection and opening one.
        waiting = None if connect is None and pool is None else (connect or 0) + (pool or 0)
        return aiohttp.ClientTimeout(total=None, connect=waiting, sock_read=read)

    async def initialize(self) -> None:
        """Open the session (inside the running event loop, as aiohttp requires)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; returns (HTTP status, body) for PTB to interpret."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data is not None and request_data.contains_files
        timeout = self._default_timeout
        overridden = (read_timeout, connect_timeout, pool_timeout)
        if files or not all(isinstance(value, DefaultValue) for value in overridden):
            timeout = self._timeout(
                self._media_timeout if files else _pick(read_timeout, self._read_timeout),
                _pick(connect_timeout, self._connect_timeout),
                _pick(pool_timeout, self._pool_timeout),
            )
        body: bytes | aiohttp.FormData | None = None
        headers = None
        if request_data is not None and files:
            body = _multipart(request_data)
        elif request_data is not None:
            body = json.dumps(request_data.parameters).encode()
            headers = _JSON_HEADERS
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                answer = response.status, await response.read()
        except TimeoutError as exc:  # aiohttp.ServerTimeoutError is one too
            BotApiState.answered(False)
            raise TimedOut(f"Timed out: {type(exc).__name__}") from exc
        except aiohttp.ClientError as exc:
            BotApiState.answered(False)
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
        BotApiState.answered(True)  # /readyz: the Bot API answered the last attempt
        return answer


def _pick(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        if not isinstance(content, bytes):
            content = content.read()
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
