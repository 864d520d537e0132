"""Failure codes as the desk reads them: every code worded, in English and in Polish."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.keyboards import parse_labels
from digests.delivery.failures import FailureCode
from digests.desk.alert_state import AlertState
from digests.desk.progress import Tally, progress_of
from digests.desk.stats import Stats, day_range
from digests.models import Alert, AlertStatus
from digests.text.render import Renderer

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_every_failure_code_is_worded_in_english_and_polish():
    renderer = Renderer()
    english = parse_labels(renderer.render("desk/chart_labels.txt"))
    polish = parse_labels(renderer.render("desk/chart_labels.txt", language="pl"))
    for code in FailureCode:
        key = f"reason_{code}"
        assert english[key] and english[key] != code.value, code
        assert polish[key] and polish[key] != english[key], code
    assert len({english[f"reason_{code}"] for code in FailureCode}) == len(FailureCode)


def progress_card(language: str) -> list[str]:
    alert = Alert(id=7, audience="all", status=AlertStatus.RETRACTED, confirmed_at=NOW)
    sends = Tally(sent=5, failed=3, failures=Counter({FailureCode.BLOCKED: 2, "other": 1}))
    edits = Tally(sent=4, failed=1, failures=Counter({FailureCode.CANNOT_EDIT: 1}))
    deletes = Tally(sent=3, failed=1, failures=Counter({FailureCode.MESSAGE_GONE: 1}))
    state = AlertState(alert=alert, sends=sends, edits=edits, deletes=deletes, too_old=0)
    text = Renderer().render(
        "desk/progress.html",
        language=language,
        alert=alert,
        state=state,
        sends=progress_of(sends, started_at=NOW, now=NOW + timedelta(seconds=4)),
        topic_name="",
    )
    return [line.strip() for line in text.splitlines()]


def test_the_progress_card_words_codes_in_the_editors_language():
    english = progress_card("en")
    assert "• blocked the bot: 2" in english and "• other error: 1" in english
    assert "• not edited, Telegram refused to edit it: 1" in english
    assert "• could not delete, message already gone: 1" in english
    polish = progress_card("pl")
    assert "• zablokował(a) bota: 2" in polish and "• inny błąd: 1" in polish
    assert "• niepoprawione, Telegram odmówił edycji: 1" in polish
    assert "• nie udało się usunąć, wiadomości już nie ma: 1" in polish


def figures() -> Stats:
    days = day_range(NOW, 3)
    failures = [(FailureCode.GAVE_UP, 3), (FailureCode.OTHER, 1)]
    return Stats(days, 0, [], {}, {}, [0, 0, 0], [0, 0, 4], failures)


def test_stats_word_the_top_failures_in_the_readers_language():
    renderer = Renderer()
    terminal = renderer.render("desk/stats.txt", stats=figures()).splitlines()
    reasons = terminal[terminal.index("Failures by reason") + 1 :]
    assert reasons[:2] == [
        "  gave up after repeated errors                   3",
        "  other error                                     1",
    ]
    caption = renderer.render("desk/stats.html", language="pl", stats=figures())
    assert "Najczęstsze niepowodzenie: porzucone po powtarzających się błędach (3)" in caption
