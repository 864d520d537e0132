"""Alert text: editors' words escaped, formatted messages kept, anything else made safe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.fakeapi import parse_telegram_html
from digests.delivery.failures import FailureCode
from digests.desk.alert_text import parse_alert, sanitise_html
from digests.desk.progress import Tally, progress_of, tally_rows
from digests.errors import AlertTextError


def test_plain_words_are_escaped_and_the_first_web_address_is_the_link():
    draft = parse_alert("Fire at <plant> & depot, see https://news.example/fire. More soon")
    assert (
        draft.body == "Fire at &lt;plant&gt; &amp; depot, see https://news.example/fire. More soon"
    )
    assert draft.link == "https://news.example/fire"


def test_link_option_wins_and_leaves_the_text():
    draft = parse_alert("Vote count starts link=https://news.example/live https://other.example")
    assert draft.body == "Vote count starts https://other.example"
    assert draft.link == "https://news.example/live"


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ("", "alert_usage"),
        ("   ", "alert_usage"),
        ("x link=javascript:alert(1)", "alert_bad_link"),
        ("x link=https://", "alert_bad_link"),
    ],
)
def test_bad_input_names_its_problem(arguments, code):
    with pytest.raises(AlertTextError) as error:
        parse_alert(arguments)
    assert error.value.code == code


def test_a_reply_keeps_allowed_formatting_only():
    html = (
        '<b>Quake</b> <i>near</i> <span class="tg-spoiler">x</span> <span class="other">y</span>'
        ' <a href="javascript:alert(1)">bad</a> <a href="https://n.example/a">good</a>'
        ' <tg-emoji emoji-id="5">🔥</tg-emoji> <pre><code class="language-python">a &lt; b</code>'
        "</pre> <blockquote expandable>q</blockquote>"
    )
    draft = parse_alert("", replied_html=html, replied_links=["https://n.example/a"])
    assert draft.body == (
        '<b>Quake</b> <i>near</i> <span class="tg-spoiler">x</span> y bad'
        ' <a href="https://n.example/a">good</a> 🔥 <pre><code class="language-python">a &lt; b'
        "</code></pre> <blockquote expandable>q</blockquote>"
    )
    assert draft.link == "https://n.example/a"
    assert parse_telegram_html(draft.body)


def test_a_reply_and_words_together_are_refused():
    with pytest.raises(AlertTextError) as error:
        parse_alert("extra words", replied_html="<b>x</b>")
    assert error.value.code == "alert_text_and_reply"


def test_unbalanced_tags_are_closed():
    assert sanitise_html("<b>bold <i>both</b> after</i>") == "<b>bold <i>both</i></b> after"
    assert sanitise_html("<u>open") == "<u>open</u>"


@given(st.text(max_size=300))
def test_anything_sanitised_is_valid_telegram_html(text):
    parse_telegram_html(sanitise_html(text))


@given(st.text(max_size=200).filter(lambda text: "link=" not in text.lower()))
def test_anything_typed_is_valid_telegram_html_with_the_same_words(text):
    try:
        draft = parse_alert(text)
    except AlertTextError:
        return
    # NUL characters are dropped (PostgreSQL cannot store them, Telegram would not show them).
    assert parse_telegram_html(draft.body) == text.replace("\x00", "").strip()


def test_failures_are_counted_by_code_and_rows_without_one_read_as_other():
    tally = tally_rows(
        [
            ("failed", "blocked", 3),
            ("failed", None, 2),  # stored before codes existed
            ("failed", "a_code_from_a_newer_release", 1),
            ("sent", None, 5),
        ]
    )
    assert tally.failures == {FailureCode.BLOCKED: 3, FailureCode.OTHER: 3}
    assert (tally.failed, tally.sent) == (6, 5)


def test_progress_counts_rate_and_time_left():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    tally = tally_rows(
        [
            ("sent", None, 60),
            ("failed", "blocked", 20),
            ("pending", None, 120),
            ("cancelled", None, 0),
        ]
    )
    progress = progress_of(tally, started_at=start, now=start + timedelta(seconds=10))
    assert (progress.done, progress.total, progress.percent) == (80, 200, 40)
    assert progress.bar == "▓▓▓▓░░░░░░░░"
    assert progress.rate == 8.0 and progress.eta_seconds == 15
    assert tally.failures == {"blocked": 20}


def test_an_empty_audience_is_complete():
    progress = progress_of(Tally(), started_at=None, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert (progress.percent, progress.eta_seconds) == (100, 0)
