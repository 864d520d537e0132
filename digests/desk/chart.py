"""The /stats chart: one PNG with four panels, drawn off-screen with matplotlib.

matplotlib comes with the `charts` extra (pip install 'newsbot[charts]'); without it,
draw_chart raises ChartsUnavailable and the figures are shown as text.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from digests.desk.stats import Stats

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

WIDTH_INCHES, HEIGHT_INCHES, DPI = 11, 8, 100
MAX_CAMPAIGNS = 6


class ChartsUnavailable(RuntimeError):
    """matplotlib is not installed: this newsbot was installed without the charts extra."""


def _figure_class() -> type[Figure]:
    # Imported on first use: matplotlib costs about half a second and 100 MB, for /stats only.
    try:
        import matplotlib
    except ImportError as exc:
        raise ChartsUnavailable("matplotlib is not installed") from exc
    matplotlib.use("Agg")  # no display: a server draws to memory
    from matplotlib.figure import Figure

    return Figure


def _figures() -> tuple[type[Figure], type[MaxNLocator]]:
    figure = _figure_class()
    from matplotlib.ticker import MaxNLocator as Locator

    return figure, Locator


def build_figure(stats: Stats, labels: dict[str, str]) -> Figure:
    """The four panels: subscribers by topic, joins and leaves, deliveries, failures. Counts
    get whole-number ticks; a panel with nothing to show is hidden, its title kept over "none".
    """
    # Figure() instead of pyplot: no global state, safe in a long-running process.
    figure_class, locator = _figures()
    figure = figure_class(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    (topics, people), (deliveries, failures) = figure.subplots(2, 2)
    days = [day.strftime("%d.%m") for day in stats.days]
    positions = range(len(days))

    names = [name for name, _ in stats.subscribers]
    topics.barh(names, [count for _, count in stats.subscribers], color="#3b7dd8")
    topics.invert_yaxis()
    topics.set_title(labels["subscribers"])

    bottom = [0] * len(days)
    for campaign, counts in list(stats.joins.items())[:MAX_CAMPAIGNS]:
        people.bar(positions, counts, bottom=bottom, label=campaign or labels["direct"])
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    leaves = [sum(day) for day in zip(*stats.leaves.values(), strict=True)] or [0] * len(days)
    people.bar(positions, [-n for n in leaves], color="#999999", label=labels["leaves"])
    people.axhline(0, color="black", linewidth=0.5)
    people.set_title(labels["joins"])
    people.legend(fontsize="small", loc="upper left")

    deliveries.bar(positions, stats.sent, color="#2e9e5b", label=labels["sent"])
    deliveries.bar(
        positions, stats.failed, bottom=stats.sent, color="#d84b3b", label=labels["failed"]
    )
    deliveries.set_title(labels["deliveries"])
    deliveries.legend(fontsize="small", loc="upper left")

    for axes in (people, deliveries):
        step = max(1, len(days) // 7)
        axes.set_xticks(list(positions)[::step], days[::step], fontsize="small")
        axes.yaxis.set_major_locator(locator(integer=True))

    reasons = [labels.get(f"reason_{key}", key)[:40] for key, _ in stats.failures[:8]]
    failures.barh(reasons, [n for _, n in stats.failures[:8]], color="#d84b3b")
    failures.invert_yaxis()
    failures.set_title(labels["failures"])
    for axes in (topics, failures):
        axes.xaxis.set_major_locator(locator(integer=True))

    empty = {
        topics: not any(count for _, count in stats.subscribers),
        people: not any(map(any, stats.joins.values())) and not any(leaves),
        deliveries: not any(stats.sent) and not any(stats.failed),
        failures: not stats.failures,
    }
    for axes, nothing in empty.items():
        if nothing:
            _hide(axes, labels["none"])
    return figure


def _hide(axes: Axes, none: str) -> None:
    legend = axes.get_legend()
    if legend is not None:
        legend.remove()
    axes.set_axis_off()
    axes.text(0.5, 0.5, none, ha="center", va="center", transform=axes.transAxes, color="#777777")


def draw_chart(stats: Stats, labels: dict[str, str]) -> bytes:
    """The figures as a PNG (see build_figure)."""
    buffer = io.BytesIO()
    build_figure(stats, labels).savefig(buffer, format="png")
    return buffer.getvalue()
