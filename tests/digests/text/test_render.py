"""Templates render escaped Telegram HTML, per language."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from bot.menu import build_menus, parse_menu


def test_user_text_is_escaped(renderer):
    html = renderer.render(
        "bot/start.html",
        created=True,
        first_name="<b>Eve</b> & co",
        commands=[],
        change=None,
        following=[],
    )
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in html
    assert "<b>Eve" not in html


def test_a_missing_value_is_an_error_not_a_blank(renderer):
    with pytest.raises(UndefinedError):
        renderer.render("bot/start.html", created=True, commands=[], change=None, following=[])


@pytest.mark.parametrize(
    ("code", "language"), [("en", "en"), ("en-GB", "en"), (None, "en"), ("xx-YY", "en")]
)
def test_language_codes_fall_back_to_the_default(renderer, code, language):
    assert renderer.language_for(code) == language


def test_the_menu_template_parses_into_commands(renderer):
    menus = build_menus(renderer)
    names = [command["name"] for command in menus["en"]]
    assert names[0] == "start" and names[-1] == "help"
    assert all(command["description"] for command in menus["en"])


def test_parse_menu_ignores_lines_without_a_separator():
    assert parse_menu("start - Begin\n\njunk\nhelp - Help me") == [
        {"name": "start", "description": "Begin"},
        {"name": "help", "description": "Help me"},
    ]
