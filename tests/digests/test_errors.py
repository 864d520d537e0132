"""The user-error tree: every code is worded by its own template, in every language."""

from __future__ import annotations

import pytest

from digests.errors import (
    AlertStateError,
    PreferenceError,
    SourceError,
    UnknownTopics,
    UserError,
)
from digests.resources import templates_dir


def every_code() -> dict[str, type[UserError]]:
    found: dict[str, type[UserError]] = {}
    pending: list[type[UserError]] = [UserError]
    while pending:
        cls = pending.pop()
        for code in cls.codes:
            assert code not in found, f"{code} is carried by {found[code]} and {cls}"
            found[code] = cls
        pending.extend(cls.__subclasses__())
    return found


def test_each_code_has_a_template_and_each_template_a_code():
    templates = {path.stem for path in (templates_dir() / "errors").glob("*.html")}
    assert sorted(templates) == sorted(every_code())


@pytest.mark.parametrize("code", sorted(every_code()))
def test_each_error_reads_in_english_and_polish(renderer, code):
    cls = every_code()[code]
    error = UnknownTopics(["astrology"], ["world"]) if cls is UnknownTopics else cls(code, "7")
    english = renderer.render(error.template, language="en", **error.values())
    polish = renderer.render(error.template, language="pl", **error.values())
    assert english and polish and english != polish


def test_a_code_without_a_template_is_a_bug_at_once():
    with pytest.raises(ValueError, match="SourceError has no code 'no_alert'"):
        SourceError("no_alert", "7")


def test_values_are_what_the_templates_read(renderer):
    error = AlertStateError("no_alert", 99)
    assert renderer.render(error.template, **error.values()) == (
        "There is no alert #99. See /alerts."
    )
    topics = UnknownTopics(["astrology", "tarot"], ["world", "tech"])
    assert renderer.render(topics.template, **topics.values()) == (
        "No such topic: astrology, tarot. The topics are: world, tech"
    )
    assert isinstance(topics, SourceError) and isinstance(PreferenceError("bad_time"), UserError)
