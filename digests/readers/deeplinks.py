"""Deep-link payloads (t.me/<bot>?start=<payload>): topics, a campaign, or both.

Telegram allows 1-64 characters of A-Z, a-z, 0-9, _ and - in a start payload. The formats,
oldest first (every one still works):

| payload | subscribes to | campaign recorded |
|---|---|---|
| `world` (a topic slug) | that topic | `world` |
| `t-1-a` (`t-` and topic ids in base 36, joined by `-`) | topics 1 and 10 | `t-1-a` |
| `spring_ad` (anything else) | the default topics, on a first Start | `spring_ad` |
| `t-1-a_spring_ad` (a topic set, `_`, a campaign) | topics 1 and 10 | `spring_ad` |

Base-36 ids never contain `_`, so the first `_` after `t-` ends the topics. `r<digits>`
(a Related button from a channel digest) is not a join link at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TOPIC_SET_PREFIX = "t-"
CAMPAIGN_SEPARATOR = "_"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int) -> str:
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = _DIGITS[digit] + text
        if number == 0:
            return text


def topics_payload(
    topic_ids: Sequence[int], slugs: dict[int, str], campaign: str | None = None
) -> str | None:
    """A payload that subscribes to these topics (and records `campaign`), None when it would
    not fit: the slug for one topic without a campaign, else 't-<ids>[_<campaign>]'."""
    if not topic_ids:
        return None
    if len(topic_ids) == 1 and not campaign:
        return slugs[topic_ids[0]]
    payload = TOPIC_SET_PREFIX + "-".join(_base36(topic_id) for topic_id in sorted(topic_ids))
    if campaign:
        payload += CAMPAIGN_SEPARATOR + campaign
    return payload if PAYLOAD.match(payload) else None


def parse_topic_set(payload: str) -> list[int] | None:
    """The topic ids of a 't-<ids>[_<campaign>]' payload, or None when it is not one."""
    if not payload.startswith(TOPIC_SET_PREFIX):
        return None
    ids = payload[len(TOPIC_SET_PREFIX) :].partition(CAMPAIGN_SEPARATOR)[0]
    try:
        return [int(part, 36) for part in ids.split("-")]
    except ValueError:
        return None


def campaign_of(payload: str) -> str:
    """The campaign a join through this payload is counted under (see the table above)."""
    if parse_topic_set(payload) is not None:
        _, separator, campaign = payload.partition(CAMPAIGN_SEPARATOR)
        if separator and campaign:
            return campaign
    return payload


def start_link(bot_username: str, payload: str | None) -> str:
    """The t.me link that opens the bot with a payload."""
    link = f"https://t.me/{bot_username}"
    return f"{link}?start={payload}" if payload else link
