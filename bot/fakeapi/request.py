"""RecordingRequest: a PTB transport that answers from a FakeBotAPI in-process."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from telegram import Bot
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from .core import FakeBotAPI
from .faults import InjectedDisconnect, InjectedTimeout, error_body
from .jsontypes import JSON
from .params import file_info

__all__ = ["RecordingRequest", "bot_for", "request_params"]

_FILE_NOT_FOUND = json.dumps(error_body(404, "Not Found")).encode()


def request_params(request_data: RequestData | None) -> JSON:
    """The call's parameters as natural values, with uploads as ``file_info`` dicts."""
    if request_data is None:
        return {}
    # .parameters holds the JSON-ready values (dicts for reply_markup, ...); an uploaded
    # file without attach:// URI has value None there and appears only in multipart_data.
    params: JSON = request_data.parameters
    if request_data.contains_files:
        for name, (filename, content, mime_type) in request_data.multipart_data.items():
            if not isinstance(content, bytes):
                content = content.read()  # PTB >= 21.5 may hand over an open file
            params[name] = file_info(filename, content, mime_type)
    return params


class RecordingRequest(BaseRequest):
    """In-process transport for ``ApplicationBuilder().request()``/``get_updates_request()``.

    getUpdates long-polls for at most ``max_poll`` seconds (returning as soon as an
    update is pushed), so a test never waits a full polling timeout.
    """

    def __init__(
        self, api: FakeBotAPI, *, max_poll: float = 0.1, read_timeout: float | None = 5.0
    ) -> None:
        self.api = api
        self.max_poll = max_poll
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        """Default read timeout; PTB adds it to getUpdates' ``timeout``."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

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
        """Answer one request from the fake; injected transport faults raise PTB errors."""
        if "/file/bot" in url:
            content = self.api.download_file(url)
            return (404, _FILE_NOT_FOUND) if content is None else (200, content)
        endpoint = url.rsplit("/", 1)[-1]
        try:
            body = await self.api.handle_async(
                endpoint, request_params(request_data), max_poll=self.max_poll
            )
        except InjectedTimeout as exc:
            if exc.fault.hang:
                await asyncio.sleep(exc.fault.hang)
            raise TimedOut("Timed out (injected by FakeBotAPI)") from None
        except InjectedDisconnect as exc:  # chained like a real transport's, unlike a 5xx
            raise NetworkError("Connection reset") from exc
        status = 200 if body.get("ok") else int(body.get("error_code") or 500)
        return status, json.dumps(body).encode()


def bot_for(api: FakeBotAPI, token: str = "123456:fake-token", **kwargs: Any) -> Bot:
    """A ``telegram.Bot`` wired to ``api`` for both its requests and getUpdates.

    Passing only ``request=`` would leave getUpdates on a real HTTPXRequest.
    """
    return Bot(
        token,
        request=RecordingRequest(api),
        get_updates_request=RecordingRequest(api),
        **kwargs,
    )
