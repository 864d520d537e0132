"""Injectable failures: Bot API error answers and transport-level misbehaviour."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus

from .jsontypes import JSON

__all__ = [
    "ApiError",
    "Blocked",
    "ChatNotFound",
    "Deactivated",
    "Delay",
    "Disconnect",
    "Error",
    "Fault",
    "FaultLike",
    "FloodWait",
    "InjectedDisconnect",
    "InjectedTimeout",
    "Kicked",
    "Migrated",
    "ServerError",
    "Timeout",
    "TransportFault",
    "error_body",
]


def error_body(code: int, description: str, parameters: JSON | None = None) -> JSON:
    """Build a Bot API error response body."""
    body: JSON = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


class ApiError(Exception):
    """Raised by method handlers; becomes an ``{"ok": false, ...}`` body."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def body(self) -> JSON:
        """The Bot API response body for this error."""
        return error_body(self.code, self.description, self.parameters)


class TransportFault(Exception):
    """Raised by ``FakeBotAPI.handle`` when the request must not get an HTTP answer."""

    def __init__(self, fault: Fault) -> None:
        super().__init__(type(fault).__name__)
        self.fault = fault


class InjectedTimeout(TransportFault):
    """The request hangs: transports wait ``fault.hang`` (or their default) and give up."""

    fault: Timeout

    def __init__(self, fault: Timeout) -> None:
        super().__init__(fault)


class InjectedDisconnect(TransportFault):
    """The connection drops without a response."""


class Fault:
    """Base class; error faults answer with ``body()``, Timeout/Disconnect/Delay have none."""

    def body(self) -> JSON:
        """The Bot API error body for this fault."""
        raise NotImplementedError(f"{type(self).__name__} has no error body")

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class Error(Fault):
    """Any Bot API error, e.g. ``Error(400, "Bad Request: message thread not found")``."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        self.code, self.description, self.parameters = code, description, parameters

    def body(self) -> JSON:
        """See Fault.body."""
        return error_body(self.code, self.description, self.parameters)


class FloodWait(Error):
    """429 with ``parameters.retry_after`` (PTB: RetryAfter)."""

    def __init__(self, retry_after: int = 5) -> None:
        super().__init__(
            429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
        )
        self.retry_after = retry_after


class Blocked(Error):
    """403: the user blocked the bot (PTB: Forbidden)."""

    def __init__(self) -> None:
        super().__init__(403, "Forbidden: bot was blocked by the user")


class Kicked(Error):
    """403: the bot was removed from a group, supergroup or channel (PTB: Forbidden)."""

    def __init__(self, chat_type: str = "group") -> None:
        if chat_type == "channel":
            super().__init__(403, "Forbidden: bot is not a member of the channel chat")
        else:
            kind = "supergroup" if chat_type == "supergroup" else "group"
            super().__init__(403, f"Forbidden: bot was kicked from the {kind} chat")


class ChatNotFound(Error):
    """400 chat not found (PTB: BadRequest)."""

    def __init__(self) -> None:
        super().__init__(400, "Bad Request: chat not found")


class Deactivated(Error):
    """403: the user deleted their account (PTB: Forbidden)."""

    def __init__(self) -> None:
        super().__init__(403, "Forbidden: user is deactivated")


class Migrated(Error):
    """400 with ``parameters.migrate_to_chat_id`` (PTB: ChatMigrated)."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": new_chat_id},
        )
        self.new_chat_id = new_chat_id


class ServerError(Error):
    """5xx from Telegram's front end (PTB: NetworkError)."""

    def __init__(self, status: int = 502) -> None:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Server Error"
        super().__init__(status, phrase)


class Timeout(Fault):
    """No answer: in-process raises TimedOut after ``hang`` s; HTTP stalls ``hang`` s or 30 s."""

    def __init__(self, hang: float | None = None) -> None:
        self.hang = hang


class Disconnect(Fault):
    """The connection is dropped without an answer (PTB: NetworkError)."""


class Delay(Fault):
    """Not a failure: the answer is delayed by ``seconds`` (async transports only)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


# A fault instance, a Fault subclass (instantiated without arguments) or a factory.
FaultLike = Fault | type[Fault] | Callable[[], Fault]


def make_fault(fault: FaultLike) -> Fault:
    """Turn a FaultLike into a fresh Fault instance."""
    if isinstance(fault, Fault):
        return fault
    made = fault()
    if not isinstance(made, Fault):
        raise TypeError(f"fault factory returned {made!r}, not a Fault")
    return made


@dataclass(slots=True)
class FaultRule:
    """One ``fail_next``/``fail_rate`` registration."""

    fault: FaultLike
    method: str | None  # lower-cased; None = any method except getUpdates
    chat_id: int | str | None
    remaining: int | None = None  # None: probabilistic rule
    rate: float = 1.0
    rng: random.Random = field(default_factory=random.Random)

    def matches(self, method_lower: str, chat_id: object) -> bool:
        """Whether this rule applies to a call; does not consume it."""
        if self.method is None:
            # A polling bot calls getUpdates all the time; it would eat untargeted faults.
            if method_lower == "getupdates":
                return False
        elif self.method != method_lower:
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def fire(self) -> bool:
        """Decide (and account) whether this matching rule fires now."""
        if self.remaining is None:
            return self.rng.random() < self.rate
        self.remaining -= 1
        return True
