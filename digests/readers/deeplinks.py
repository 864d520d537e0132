"""Deep-link payloads (t.me/<bot>?start=<payload>): a topic slug, a topic set, or a campaign."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Telegram allows 1-64 characters of A-Z, a-z, 0-9, _ and - in a start payload.
PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TOPIC_SET_PREFIX = "t-"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int) -> str:
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = _DIGITS[digit] + text
        if number == 0:
            return text


def topics_payload(topic_ids: Sequence[int], slugs: dict[int, str]) -> str | None:
    """A payload that subscribes to these topics: the slug for one, 't-<ids>' for several."""
    if not topic_ids:
        return None
    if len(topic_ids) == 1:
        return slugs[topic_ids[0]]
    payload = TOPIC_SET_PREFIX + "-".join(_base36(topic_id) for topic_id in sorted(topic_ids))
    return payload if PAYLOAD.match(payload) else None


def parse_topic_set(payload: str) -> list[int] | None:
    """The topic ids of a 't-<ids>' payload, or None when it is not one."""
    if not payload.startswith(TOPIC_SET_PREFIX):
        return None
    try:
        return [int(part, 36) for part in payload[len(TOPIC_SET_PREFIX) :].split("-")]
    except ValueError:
        return None


def start_link(bot_username: str, payload: str | None) -> str:
    """The t.me link that opens the bot with a payload."""
    link = f"https://t.me/{bot_username}"
    return f"{link}?start={payload}" if payload else link
