"""The desk's inline keyboards; callback data stays under 64 bytes."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from digests.desk.alerts import AudienceCounts
from digests.ids import parse_row_id
from digests.models import Source, SourceStatus

# One prefix per button, each with its own handler (bot/app.py); a number follows.
ALERT_AUDIENCE = "al:a:"  # al:a:<alert>:<all|ch|t<topic>>
ALERT_CONFIRM = "al:ok:"
ALERT_DISCARD = "al:no:"
ALERT_CANCEL = "al:stop:"
SOURCE_PAUSE = "src:pause:"
SOURCE_RESUME = "src:resume:"
SOURCE_REMOVE = "src:rm:"  # asks once more
SOURCE_REMOVE_YES = "src:rmok:"
SOURCE_LIST = "src:list"  # the list's first page; src:list:N is page N
CHOSEN = "✅"
_AUDIENCE_KEYS = {"all": "all", "ch": "channels"}


def parse_audience(key: str) -> tuple[str, int | None]:
    """An audience button's key: 'all', 'ch' or 't<topic id>' → (audience, topic id)."""
    if key in _AUDIENCE_KEYS:
        return _AUDIENCE_KEYS[key], None
    return "topic", parse_row_id(key[1:]) if key.startswith("t") else None


def draft_keyboard(
    alert_id: int,
    counts: AudienceCounts,
    audience: str,
    topic_id: int | None,
    labels: dict[str, str],
) -> InlineKeyboardMarkup:
    """Audience choices with their counts (the chosen one ticked), then Confirm and Cancel."""

    def choice(label: str, key: str, count: int, chosen: bool) -> InlineKeyboardButton:
        mark = f"{CHOSEN} " if chosen else ""
        return InlineKeyboardButton(
            f"{mark}{label} ({count})", callback_data=f"{ALERT_AUDIENCE}{alert_id}:{key}"
        )

    rows = [
        [
            choice(labels["all"], "all", counts.all, audience == "all"),
            choice(labels["channels"], "ch", counts.channels, audience == "channels"),
        ]
    ]
    topics = [
        choice(t.name, f"t{t.id}", t.count, audience == "topic" and topic_id == t.id)
        for t in counts.topics
    ]
    rows += [topics[start : start + 2] for start in range(0, len(topics), 2)]
    rows.append(
        [
            InlineKeyboardButton(labels["confirm"], callback_data=f"{ALERT_CONFIRM}{alert_id}"),
            InlineKeyboardButton(labels["cancel"], callback_data=f"{ALERT_DISCARD}{alert_id}"),
        ]
    )
    return InlineKeyboardMarkup(rows)


def sending_keyboard(alert_id: int, labels: dict[str, str]) -> InlineKeyboardMarkup:
    """The Cancel button under an alert being sent."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(labels["stop"], callback_data=f"{ALERT_CANCEL}{alert_id}")]]
    )


def sources_keyboard(
    sources: Sequence[Source],
    labels: dict[str, str],
    *,
    page: int = 0,
    more: bool = False,
) -> InlineKeyboardMarkup:
    """Pause or resume, and remove, for each source; previous and next pages of the list."""
    rows = []
    for source in sources:
        if source.status is SourceStatus.ACTIVE:
            toggle = InlineKeyboardButton(
                f"⏸ {labels['pause']} #{source.id}", callback_data=f"{SOURCE_PAUSE}{source.id}"
            )
        else:
            toggle = InlineKeyboardButton(
                f"▶️ {labels['resume']} #{source.id}", callback_data=f"{SOURCE_RESUME}{source.id}"
            )
        remove = InlineKeyboardButton(
            f"🗑 {labels['remove']} #{source.id}", callback_data=f"{SOURCE_REMOVE}{source.id}"
        )
        rows.append([toggle, remove])
    pager = []
    if page > 0:
        pager.append(
            InlineKeyboardButton(labels["previous"], callback_data=f"{SOURCE_LIST}:{page - 1}")
        )
    if more:
        pager.append(
            InlineKeyboardButton(labels["next"], callback_data=f"{SOURCE_LIST}:{page + 1}")
        )
    if pager:
        rows.append(pager)
    return InlineKeyboardMarkup(rows)


def confirm_removal_keyboard(source_id: int, labels: dict[str, str]) -> InlineKeyboardMarkup:
    """Removing a source asks once more."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    labels["remove_yes"], callback_data=f"{SOURCE_REMOVE_YES}{source_id}"
                ),
                InlineKeyboardButton(labels["remove_no"], callback_data=SOURCE_LIST),
            ]
        ]
    )
