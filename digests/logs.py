"""Logging set-up that never lets the bot token reach a log line: text or JSON Lines."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from urllib.parse import quote

REDACTED = "<token>"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFilter(logging.Filter):
    """Replaces every secret in a record's message, traceback and stack before any handler
    formats it, so whatever formatter a handler uses (text, JSON) only sees the redacted text.

    Installed on the handlers, it covers every logger: telegram's, httpx's and aiohttp's
    (whose request URLs contain the token) as much as newsbot's own.
    """

    def __init__(self, secrets: list[str]):
        super().__init__()
        # A URL may carry the token percent-encoded (the colon as %3A).
        forms = {form for secret in secrets if secret for form in (secret, quote(secret, safe=""))}
        self.secrets = sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """`text` with every secret replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; it is always kept."""
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit: show both, redacted
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info:
            # The formatted traceback replaces the live one, which would name the token again.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (LOG_FORMAT=json, for log shippers); a traceback is a field.

    Given the secrets, it redacts the record itself (as the handler's RedactingFilter does)
    before encoding, so an escape sequence cannot split one.
    """

    def __init__(self, secrets: list[str] | None = None):
        super().__init__()
        self.redacting = RedactingFilter(secrets or [])

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON: time, level, logger, message (and exc)."""
        self.redacting.filter(record)
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, secrets: list[str], log_format: str = "text") -> None:
    """Log to stderr at level, redacting every record first; quieten chatty HTTP loggers."""
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter(secrets))
    json_lines = log_format == "json"
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    for name in ("httpx", "httpcore", "apscheduler", "aiosqlite", "alembic", "aiohttp.access"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
