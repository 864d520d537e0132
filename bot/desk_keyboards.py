"""The desk's inline keyboards; callback data stays under 64 bytes."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from digests.desk.alerts import AudienceCounts
from digests.models import Source, SourceStatus

ALERT = "al:"
SOURCE = "src:"
CHOSEN = "✅"


def draft_keyboard(
    alert_id: int, counts: AudienceCounts, audience: str, topic_id: int | None, labels: dict
) -> InlineKeyboardMarkup:
    """Audience choices with their counts (the chosen one ticked), then Confirm and Cancel."""

    def choice(label: str, key: str, count: int, chosen: bool) -> InlineKeyboardButton:
        mark = f"{CHOSEN} " if chosen else ""
        return InlineKeyboardButton(
            f"{mark}{label} ({count})", callback_data=f"{ALERT}a:{alert_id}:{key}"
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
            InlineKeyboardButton(labels["confirm"], callback_data=f"{ALERT}ok:{alert_id}"),
            InlineKeyboardButton(labels["cancel"], callback_data=f"{ALERT}no:{alert_id}"),
        ]
    )
    return InlineKeyboardMarkup(rows)


def sending_keyboard(alert_id: int, labels: dict) -> InlineKeyboardMarkup:
    """The Cancel button under an alert being sent."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(labels["stop"], callback_data=f"{ALERT}stop:{alert_id}")]]
    )


def sources_keyboard(sources: Sequence[Source], labels: dict) -> InlineKeyboardMarkup:
    """Pause or resume, and remove, for each source."""
    rows = []
    for source in sources:
        if source.status is SourceStatus.ACTIVE:
            toggle = InlineKeyboardButton(
                f"⏸ {labels['pause']} #{source.id}", callback_data=f"{SOURCE}pause:{source.id}"
            )
        else:
            toggle = InlineKeyboardButton(
                f"▶️ {labels['resume']} #{source.id}", callback_data=f"{SOURCE}resume:{source.id}"
            )
        remove = InlineKeyboardButton(
            f"🗑 {labels['remove']} #{source.id}", callback_data=f"{SOURCE}rm:{source.id}"
        )
        rows.append([toggle, remove])
    return InlineKeyboardMarkup(rows)


def confirm_removal_keyboard(source_id: int, labels: dict) -> InlineKeyboardMarkup:
    """Removing a source asks once more."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    labels["remove_yes"], callback_data=f"{SOURCE}rmok:{source_id}"
                ),
                InlineKeyboardButton(labels["remove_no"], callback_data=f"{SOURCE}list"),
            ]
        ]
    )
