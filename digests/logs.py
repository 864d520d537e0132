"""Logging set-up that never lets the bot token reach a log line: text or JSON Lines."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

REDACTED = "<token>"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then replaces every occurrence of the secrets (tracebacks included)."""

    def __init__(self, fmt: str | None, secrets: list[str]):
        super().__init__(fmt)
        self.secrets = [secret for secret in secrets if secret]

    def format(self, record: logging.LogRecord) -> str:
        """The formatted record with secrets replaced."""
        return self.redact(super().format(record))

    def redact(self, text: str) -> str:
        """`text` with every secret replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


class JsonFormatter(RedactingFormatter):
    """One JSON object per line (LOG_FORMAT=json, for log shippers); a traceback is a field.

    Secrets are replaced in the message and traceback before they are encoded, so an escape
    sequence cannot split one.
    """

    def __init__(self, secrets: list[str]):
        super().__init__(None, secrets)

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON: time, level, logger, message (and exc)."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self.redact(record.getMessage()),
        }
        if record.exc_info:
            entry["exc"] = self.redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exc"] = self.redact(record.exc_text)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, secrets: list[str], log_format: str = "text") -> None:
    """Log to stderr at level, redacting secrets; quieten chatty HTTP loggers."""
    handler = logging.StreamHandler()
    formatter = JsonFormatter(secrets) if log_format == "json" else None
    handler.setFormatter(formatter or RedactingFormatter(TEXT_FORMAT, secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    for name in ("httpx", "httpcore", "apscheduler", "aiosqlite", "alembic", "aiohttp.access"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
