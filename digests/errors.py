"""Expected failures a user can cause, each worded by the template errors/<code>.html.

A handler lets one rise: the bot's error handler answers it with its template in the user's
language, and the command line prints the same words as plain text. Nothing was changed: the
session it rose in rolls back. Anything else is a bug or an outage, logged with its traceback.

UserError
 ├── PreferenceError    a settings answer: "25:99", five times, "Mars/Olympus", 91° north
 ├── AlertTextError     an alert as typed: no text, link=javascript:…, 5,000 characters
 ├── AlertStateError    an alert not in a state for it: no alert #99, confirmed already
 ├── RoleError          an editor change: an owner already, not an editor, no user id
 ├── FilterLimit        a 21st keyword filter
 ├── SourceError        not a feed URL, a duplicate, no source #7
 │    └── UnknownTopics "astrology" (it carries the topics there are)
 └── ListError          /related 3 with no list shown, or a list of two

Not user errors, so not here: SettingsError and CatalogError are the operator's configuration,
found at start-up where no chat waits for an answer; FetchError is a feed's server failing,
recorded on the source; BlockTooLong is a bug (no block may be longer than a message);
PreviewError words the options of `newsbot preview` itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar


class UserError(Exception):
    """Something a user asked for that cannot be done; `code` names the template saying why."""

    codes: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, code: str, value: object = "") -> None:
        # A code without its template would reach the user as an apology for a bug.
        if code not in self.codes:
            raise ValueError(f"{type(self).__name__} has no code {code!r}")
        super().__init__(f"{code}: {value!r}")
        self.code = code
        self.value = str(value)

    @property
    def template(self) -> str:
        """The template that words this failure."""
        return f"errors/{self.code}.html"

    def values(self) -> dict[str, object]:
        """What the template is given."""
        return {"value": self.value}


class PreferenceError(UserError):
    """A settings answer that cannot be used (a time, a zone, quiet hours, a weekday)."""

    codes = frozenset(
        {
            "bad_time",
            "bad_times_count",
            "bad_quiet_hours",
            "unknown_timezone",
            "bad_location",
            "bad_weekday",
        }
    )


class AlertTextError(UserError):
    """An alert command whose words cannot become an alert."""

    codes = frozenset(
        {
            "alert_usage",
            "alert_edit_usage",
            "alert_retract_usage",
            "alert_bad_link",
            "alert_text_and_reply",
            "alert_too_long",
            "alert_caption_too_long",
        }
    )


class AlertStateError(UserError):
    """An alert that does not exist or is not in a state for this; `value` is its number."""

    codes = frozenset(
        {
            "no_alert",
            "alert_not_sent",
            "alert_retracted",
            "alert_not_sending",
            "alert_not_draft",
            "alert_bad_audience",
        }
    )


class RoleError(UserError):
    """An editor change that cannot be made; `value` is the user id."""

    codes = frozenset(
        {"admins_usage", "already_owner", "already_editor", "owner_fixed", "not_editor"}
    )


class FilterLimit(UserError):
    """More keyword filters than a chat may have; `value` is the limit."""

    codes = frozenset({"too_many_filters"})


class SourceError(UserError):
    """A source that cannot be added or changed."""

    codes = frozenset({"sources_usage", "bad_feed_url", "duplicate_source", "no_source"})


class UnknownTopics(SourceError):
    """Topics for a new source that do not exist; the template lists those that do."""

    codes = frozenset({"unknown_topics"})

    def __init__(self, unknown: Sequence[str], known: Sequence[str]) -> None:
        super().__init__("unknown_topics", ", ".join(unknown))
        self.known = list(known)

    def values(self) -> dict[str, object]:
        """The unknown topics as `value`, the known ones as `known`."""
        return {**super().values(), "known": self.known}


class ListError(UserError):
    """A number that should name an article of the last list shown; `value` is the number."""

    codes = frozenset({"no_list", "not_in_list"})
