"""Logging never shows the token: every record is redacted before any handler formats it."""

from __future__ import annotations

import io
import json
import logging

import pytest

from digests.logs import RedactingFilter

TOKEN = "123456:SECRET-token"


class JsonFormatter(logging.Formatter):
    """A formatter of another shape (as a JSON log would be), reading the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({"message": record.getMessage(), "exc": record.exc_text})


@pytest.fixture
def stream() -> io.StringIO:
    return io.StringIO()


@pytest.mark.parametrize("formatter", [logging.Formatter("%(name)s: %(message)s"), JsonFormatter()])
@pytest.mark.parametrize("name", ["httpx", "aiohttp.client", "telegram.ext.Updater", "bot.app"])
def test_urls_arguments_and_tracebacks_lose_the_token(stream, formatter, name):
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter([TOKEN]))
    handler.setFormatter(formatter)
    logger = logging.getLogger(f"test_logs.{name}")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("HTTP Request: POST %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
        logger.warning("quoted https://x/bot%s/getMe", TOKEN.replace(":", "%3A"))
        try:
            raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
        except RuntimeError:
            logger.exception("start-up failure")
    finally:
        logger.removeHandler(handler)

    written = stream.getvalue()
    assert TOKEN not in written and "123456%3ASECRET" not in written
    assert "bot<token>/getMe" in written
    assert "The token `<token>` was rejected" in written


def test_a_record_whose_arguments_do_not_fit_is_still_redacted(stream):
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter([TOKEN]))
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s %s", (TOKEN,), None)
    handler.handle(record)
    assert TOKEN not in stream.getvalue()
