"""The daily report's chart (spend bars, ROAS line) on a figure built once per thread and redrawn.

A fan-out draws this chart for every account, thousands a day, in a warm worker.
Building it is half its cost: a figure, two axes, their ticks and spines, the bars,
the legend. Here they are built once per thread and number of days; each chart only
sets the bar heights, the line, the texts, and the limits the axes would autoscale
to, then draws. Everything a chart sets is set again by the next one, so nothing of
one account's chart is left in another's (tests/analytics/test_spend_roas_canvas.py).

The x axis holds positions 0..n-1 with the day labels as fixed ticks: what the
categorical axis of ``ax.bar(labels, ...)`` draws, without its per-axis map of every
label ever seen (which a reused axis would keep growing).

Per thread (``threading.local``): an RQ worker runs its jobs one after the other in
one thread, and a figure is never drawn by two threads at once.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from decimal import Decimal

from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from analytics.chart_canvas import figure, png
from vocabulary.i18n import Locale

SPEND_COLOR = "#4C78A8"
ROAS_COLOR = "#F58518"
#: Figures kept per thread (one per number of days drawn; a daily report always has 14).
KEEP = 4


class SpendRoasCanvas:
    """One figure for charts of ``n`` days; :meth:`render` draws one and returns its PNG."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.locale = Locale(language="pt-BR")
        fig, ax = figure(8, 3.6)
        self.fig, self.ax = fig, ax
        positions = list(range(n))
        self.bars: BarContainer = ax.bar(positions, [0.0] * n, color=SPEND_COLOR)
        ax.set_xticks(positions, [""] * n)
        ax.yaxis.set_major_formatter(
            FuncFormatter(lambda v, _: self.locale.number(Decimal(round(v))))
        )
        ax.tick_params(axis="x", rotation=45, labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        twin: Axes = ax.twinx()
        self.twin = twin
        self.line: Line2D = twin.plot(
            positions, [float("nan")] * n, color=ROAS_COLOR, marker="o", linewidth=2
        )[0]
        twin.set_ylabel("ROAS")
        twin.yaxis.set_major_formatter(
            FuncFormatter(lambda v, _: self.locale.ratio(Decimal(str(round(v, 2)))))
        )
        twin.spines[["top"]].set_visible(False)
        # y given: the title sits above the axes (nothing of theirs is on top), placed
        # without measuring every tick of both axes on each draw.
        self.title: Text = ax.set_title("", loc="left", fontsize=11, pad=22, y=1.0)
        self.legend: Legend = ax.legend(
            [self.bars, self.line],
            ["", "ROAS"],
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncol=2,
            fontsize=8,
            frameon=False,
        )

    def render(
        self,
        labels: Sequence[str],
        spend: Sequence[float],
        roas: Sequence[float],
        currency: str,
        locale: Locale,
        title: str,
    ) -> bytes:
        assert len(labels) == len(spend) == len(roas) == self.n
        self.locale = locale  # read by the tick formatters while drawing
        ax, twin = self.ax, self.twin
        for bar, height in zip(self.bars, spend, strict=True):
            bar.set_height(height)
        ax.set_xticks(range(self.n), labels)
        ax.set_ylabel(f"{locale.t('metric.spend')} ({currency})")
        self.line.set_ydata(roas)
        self.title.set_text(title)
        self.legend.get_texts()[0].set_text(locale.t("metric.spend"))
        # The limits a new figure would autoscale to from these data (bars from 0 by
        # their sticky edge; ROAS from 0 as the chart asks).
        ax.relim()
        ax.autoscale_view(scalex=False)
        twin.set_autoscaley_on(True)
        # A new axis's limits: with no ROAS at all, autoscaling keeps limits it sees changed.
        twin.viewLim.intervaly = (0.0, 1.0)
        twin.relim()
        twin.autoscale_view(scalex=False)
        twin.set_ylim(bottom=0)
        return png(self.fig)


_local = threading.local()


def canvas(n: int) -> SpendRoasCanvas:
    """This thread's figure for charts of ``n`` days (built on first use)."""
    kept: dict[int, SpendRoasCanvas] = _local.__dict__.setdefault("canvases", {})
    if n not in kept:
        if len(kept) >= KEEP:
            kept.pop(next(iter(kept)))
        kept[n] = SpendRoasCanvas(n)
    return kept[n]
