"""Logging set-up that never lets the bot token reach a log line."""

from __future__ import annotations

import logging
from urllib.parse import quote

REDACTED = "<token>"


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
        """The text with every secret replaced."""
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


def configure_logging(level: str, secrets: list[str]) -> None:
    """Log to stderr at level, redacting secrets; quieten chatty HTTP loggers."""
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter(secrets))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    for name in ("httpx", "httpcore", "apscheduler", "aiosqlite", "alembic"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
