"""A fake Telegram Bot API: one in-memory core, an in-process and an HTTP transport.

>>> api = FakeBotAPI()
>>> bot = bot_for(api)  # in-process: RecordingRequest for requests and getUpdates
>>> async with FakeBotAPIServer(api, token="123:ABC") as server:       # loopback HTTP
...     bot = telegram.Bot("123:ABC", base_url=server.base_url)
"""

from .core import FakeBotAPI
from .faults import (
    ApiError,
    Blocked,
    ChatNotFound,
    Deactivated,
    Delay,
    Disconnect,
    Error,
    Fault,
    FloodWait,
    InjectedDisconnect,
    InjectedTimeout,
    Kicked,
    Migrated,
    ServerError,
    Timeout,
    TransportFault,
)
from .request import RecordingRequest, bot_for
from .server import FakeBotAPIServer
from .state import Call, ChatState
from .telegram_html import (
    EntityParseError,
    parse_telegram_html,
    parse_telegram_html_entities,
    utf16_len,
)

__all__ = [
    "ApiError",
    "Blocked",
    "Call",
    "ChatNotFound",
    "ChatState",
    "Deactivated",
    "Delay",
    "Disconnect",
    "EntityParseError",
    "Error",
    "FakeBotAPI",
    "FakeBotAPIServer",
    "Fault",
    "FloodWait",
    "InjectedDisconnect",
    "InjectedTimeout",
    "Kicked",
    "Migrated",
    "RecordingRequest",
    "ServerError",
    "Timeout",
    "TransportFault",
    "bot_for",
    "parse_telegram_html",
    "parse_telegram_html_entities",
    "utf16_len",
]
