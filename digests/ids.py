"""Numbers from outside (commands, callback data, inline offsets), parsed without surprises."""

from __future__ import annotations

import re

_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1  # the largest value a BIGINT column holds (Telegram's chat and user ids)
MAX_ROW_ID = 2**31 - 1  # the largest row number (INTEGER primary keys: alerts, sources, …)


def parse_id(text: str | None, *, maximum: int = MAX_ID) -> int | None:
    """A non-negative integer written in ASCII digits and within bounds, else None.

    str.isdigit() accepts '²' and '٣', and int() of twenty digits overflows a database
    column: input that reaches a query goes through here instead.
    """
    if text is None:
        return None
    text = text.strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= maximum else None


def parse_row_id(text: str | None) -> int | None:
    """A row number (#7 of alerts, sources, articles, topics, chats), else None."""
    return parse_id(text, maximum=MAX_ROW_ID)
