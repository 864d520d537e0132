"""The /stats chart: counts get whole-number ticks, panels with nothing to show are hidden."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.keyboards import parse_labels
from digests.desk.chart import build_figure
from digests.desk.stats import Stats

pytest.importorskip("matplotlib")

DAYS = [date(2026, 11, 28) + timedelta(days=n) for n in range(3)]


def _stats(**changes) -> Stats:
    values = {
        "days": DAYS,
        "active_chats": 3,
        "subscribers": [("World", 2), ("Technology", 1)],
        "joins": {"": [1, 0, 2]},
        "leaves": {"": [0, 1, 0]},
        "sent": [2, 1, 3],
        "failed": [0, 0, 1],
        "failures": [],
    }
    return Stats(**{**values, **changes})


@pytest.fixture
def labels(renderer):
    return parse_labels(renderer.render("desk/chart_labels.txt", language="en"))


def _ticks(axis) -> list[float]:
    low, high = axis.get_view_interval()
    return [tick for tick in axis.get_majorticklocs() if low <= tick <= high]


def test_counts_have_whole_number_ticks(labels):
    figure = build_figure(_stats(), labels)
    figure.canvas.draw()
    topics, people, deliveries, _failures = figure.axes
    for axis in (topics.xaxis, people.yaxis, deliveries.yaxis):
        ticks = _ticks(axis)
        assert ticks and all(tick == int(tick) for tick in ticks), ticks


def test_empty_panels_are_hidden_with_their_title(labels):
    figure = build_figure(_stats(subscribers=[], sent=[0, 0, 0], failed=[0, 0, 0]), labels)
    topics, people, deliveries, failures = figure.axes
    assert [axes.axison for axes in figure.axes] == [False, True, False, False]
    assert failures.get_title() == labels["failures"]
    assert [text.get_text() for text in failures.texts] == [labels["none"]]
    assert deliveries.get_legend() is None
