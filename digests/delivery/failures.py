"""Why a message was not delivered as queued: one code per outcome, read once from Telegram.

The Bot API says why it refused a call only in English prose (`description`); this module is
the one place that reads it. Everything downstream (the outbox's `error_code` column, the
desk's progress card, /stats, `newsbot stats`) works with the code, and templates word it
(`templates/desk/_reasons.html`).
"""

from __future__ import annotations

from enum import StrEnum

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)


class FailureCode(StrEnum):
    """Why a delivery failed, was cancelled, or went out differently than queued."""

    # The chat no longer takes messages from the bot.
    BLOCKED = "blocked"  # 403: the user blocked the bot
    KICKED = "kicked"  # 403: the bot was removed from the group or channel
    NO_RIGHTS = "no_rights"  # the bot may not post there (restricted, not an admin)
    DEACTIVATED = "deactivated"  # the user deleted their account
    CHAT_NOT_FOUND = "chat_not_found"  # 400: chat not found, or the group was deleted
    CHAT_GONE = "chat_gone"  # cancelled: newsbot had already marked the chat gone
    DESK_CANCELLED = "desk_cancelled"  # cancelled: the desk cancelled or retracted the alert
    MIGRATED = "migrated"  # the group became a supergroup newsbot already knows
    FORBIDDEN = "forbidden"  # any other 403
    # Transient: retried with backoff, so a row keeps one of these only while it waits.
    RATE_LIMITED = "rate_limited"  # 429 Too Many Requests
    NETWORK = "network"  # the connection failed or dropped
    TIMEOUT = "timeout"  # no answer in time
    SERVER_ERROR = "server_error"  # Telegram answered 5xx
    GAVE_UP = "gave_up"  # transient failures, every attempt used
    # Edits and deletions of messages already sent.
    MESSAGE_GONE = "message_gone"  # the message to edit or delete is no longer there
    CANNOT_EDIT = "cannot_edit"  # Telegram refused the edit
    CANNOT_DELETE = "cannot_delete"  # Telegram refused the deletion (older than 48 hours)
    NOT_MODIFIED = "not_modified"  # an edit to the same text: nothing to do, counted as sent
    # The message itself.
    BAD_HTML = "bad_html"  # the HTML did not parse
    PLAIN_TEXT = "plain_text"  # sent, as plain text, after its HTML did not parse
    TOO_LONG = "too_long"  # text or caption over Telegram's limit
    BAD_REQUEST = "bad_request"  # any other 400
    TOKEN_REJECTED = "token_rejected"  # 401/404: the bot token is not valid
    OTHER = "other"  # anything else, and rows stored before codes existed


# Lower-cased fragments of Telegram's descriptions, most specific first.
_FORBIDDEN = (
    ("blocked by the user", FailureCode.BLOCKED),
    ("deactivated", FailureCode.DEACTIVATED),
    ("kicked", FailureCode.KICKED),
    ("not a member", FailureCode.KICKED),
    ("bot was removed", FailureCode.KICKED),
    ("have no rights to send", FailureCode.NO_RIGHTS),
)
_BAD_REQUEST = (
    ("can't parse entities", FailureCode.BAD_HTML),
    ("message is not modified", FailureCode.NOT_MODIFIED),
    ("chat not found", FailureCode.CHAT_NOT_FOUND),
    ("group chat was deleted", FailureCode.CHAT_NOT_FOUND),
    ("user is deactivated", FailureCode.DEACTIVATED),
    ("message to edit not found", FailureCode.MESSAGE_GONE),
    ("message to delete not found", FailureCode.MESSAGE_GONE),
    ("message can't be edited", FailureCode.CANNOT_EDIT),
    ("message can't be deleted", FailureCode.CANNOT_DELETE),
    ("too long", FailureCode.TOO_LONG),
    ("not enough rights", FailureCode.NO_RIGHTS),
    ("have no rights to send", FailureCode.NO_RIGHTS),
)


def _by_description(text: str, table: tuple[tuple[str, FailureCode], ...]) -> FailureCode | None:
    lowered = text.lower()
    return next((code for fragment, code in table if fragment in lowered), None)


def failure_code(error: BaseException) -> FailureCode:
    """The code for an exception raised by a Bot API call (PTB's error classes)."""
    if isinstance(error, RetryAfter):
        return FailureCode.RATE_LIMITED
    if isinstance(error, ChatMigrated):
        return FailureCode.MIGRATED
    if isinstance(error, InvalidToken):
        return FailureCode.TOKEN_REJECTED
    if isinstance(error, TimedOut):
        return FailureCode.TIMEOUT
    if isinstance(error, Forbidden):
        return _by_description(error.message, _FORBIDDEN) or FailureCode.FORBIDDEN
    if isinstance(error, BadRequest):
        return _by_description(error.message, _BAD_REQUEST) or FailureCode.BAD_REQUEST
    if isinstance(error, NetworkError):
        # Transports raise NetworkError from what broke; PTB raises it for a 5xx answer
        # with no cause (or a TelegramError cause when the answer did not even parse).
        cause = error.__cause__
        transport = cause is not None and not isinstance(cause, TelegramError)
        return FailureCode.NETWORK if transport else FailureCode.SERVER_ERROR
    return FailureCode.OTHER


def read_code(value: str | None) -> FailureCode:
    """A stored code as a FailureCode: NULL (rows from before codes) and unknown ones are OTHER."""
    try:
        return FailureCode(value) if value else FailureCode.OTHER
    except ValueError:  # written by a newer release during a rolling upgrade
        return FailureCode.OTHER
