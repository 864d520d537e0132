"""Inline keyboards and their callback data (at most 64 bytes each)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from digests.readers.subscriptions import TopicState

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


SETTINGS = "st:"


def settings_keyboard(
    labels: dict[str, str], *, picker: Sequence[tuple[int, str]] = (), channel: bool = False
) -> InlineKeyboardMarkup:
    """The /settings screen's buttons; labels come rendered from a template. A private chat's
    own screen lists the channels its user connected; a channel's screen leads back."""

    def button(key: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(labels[key], callback_data=f"{SETTINGS}{key}")

    rows = [
        [button("times"), button("tz")],
        [button("freq"), button("alerts")],
        [button("quiet"), button("previews")],
    ]
    for row_id, title in picker:
        text = f"{labels['channel']} {title}"[:64]
        rows.append([InlineKeyboardButton(text, callback_data=f"{SETTINGS}ch:{row_id}")])
    if channel:
        rows.append([button("me")])
    return InlineKeyboardMarkup(rows)


def frequency_keyboard(labels: dict[str, str]) -> InlineKeyboardMarkup:
    """Daily, twice daily, weekly, off."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(labels[key], callback_data=f"{SETTINGS}freq:{key}")]
            for key in ("daily", "twice", "weekly", "off")
        ]
    )


def weekday_keyboard(names: list[str]) -> InlineKeyboardMarkup:
    """One button per weekday (0 = Monday)."""
    buttons = [
        InlineKeyboardButton(name, callback_data=f"{SETTINGS}wd:{number}")
        for number, name in enumerate(names)
    ]
    return InlineKeyboardMarkup([buttons[:4], buttons[4:]])


def parse_labels(text: str) -> dict[str, str]:
    """'key = label' lines from a labels template."""
    labels = {}
    for line in text.splitlines():
        key, separator, label = line.partition("=")
        if separator:
            labels[key.strip()] = label.strip()
    return labels


CHANNEL_TOPIC = "ct:"
STOP = "stop:"


def channel_topics_keyboard(chat_row_id: int, states: Sequence[TopicState]) -> InlineKeyboardMarkup:
    """topics_keyboard for a channel managed from a private chat."""
    buttons = [
        InlineKeyboardButton(
            f"{ON if state.subscribed else OFF} {state.name}",
            callback_data=f"{CHANNEL_TOPIC}{chat_row_id}:{state.slug}",
        )
        for state in states
    ]
    return InlineKeyboardMarkup([buttons[start : start + 2] for start in range(0, len(buttons), 2)])


def stop_keyboard(labels: dict[str, str]) -> InlineKeyboardMarkup:
    """Confirm or cancel /stop."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(labels["yes"], callback_data=f"{STOP}yes"),
                InlineKeyboardButton(labels["no"], callback_data=f"{STOP}no"),
            ]
        ]
    )
