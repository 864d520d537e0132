"""Inline keyboards and their callback data (at most 64 bytes each)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from digests.subscriptions import TopicState

TOPIC_TOGGLE = "tp:"
ON, OFF = "✅", "▫️"


def topics_keyboard(states: Sequence[TopicState], *, columns: int = 2) -> InlineKeyboardMarkup:
    """A button per topic, marked by whether the chat follows it; a tap toggles it."""
    buttons = [
        InlineKeyboardButton(
            f"{ON if state.subscribed else OFF} {state.name}",
            callback_data=f"{TOPIC_TOGGLE}{state.slug}",
        )
        for state in states
    ]
    rows = [buttons[start : start + columns] for start in range(0, len(buttons), columns)]
    return InlineKeyboardMarkup(rows)
