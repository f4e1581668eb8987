"""The daily report's chart (spend bars, ROAS line) on a figure built once per thread and redrawn.

A fan-out draws this chart for every account, thousands a day, in a warm worker.
Building it is half its cost: a figure, two axes, their ticks and spines, the bars,
the legend. Here they are built once per thread and number of days; each chart only
sets the bar heights, the line, the texts, and the limits the axes would autoscale
to, then draws. Everything a chart sets is set again by the next one, so nothing of
one account's chart is left in another's (tests/analytics/test_spend_roas_canvas.py).

The x axis holds positions 0..n-1 with the day labels as fixed ticks: what the
categorical axis of ``ax.bar(labels, ...)`` draws, without its per-axis map of every
label ever seen (which a reused axis would keep growing). The y ticks are the ones
AutoLocator picks for the new limits, found once and fixed with their labels (a draw
and its label placement ask for them a dozen times). The picture is cut to the pixels
drawn (``png(ink=True)``, nothing measured) and texts drawn before at the same place
are pasted from the glyph cache (:mod:`analytics.glyph_cache`).

Most of the picture is the same for every account of a fan-out: the figure and axes
backgrounds, the x axis with the day labels (the same days for all), the legend (per
locale). Those are drawn once into a background kept under what makes them differ
(the labels and the legend's text); each chart restores it and draws on it only its
own artists (bars, y axes and their labels, spines, title, the ROAS line), marked
animated so the background's draw leaves them out, in the order ``Figure.draw``
would draw them. The picture is a full draw's, byte for byte, because what the
background holds shares no pixel with anything a full draw puts before it: the patches
come first anyway, the day labels and their ticks hang below the axes (the bars stop
at its edge; only the bottom spines, drawn after them either way, cross the ticks),
and the legend sits between the axes and the title's descenders. The spines are drawn
per chart: the bars and the y ticks, drawn before them, touch them.
tests/analytics/test_spend_roas_canvas.py compares charts drawn on a background with
the whole figure drawn, byte for byte; bench/bench_charts.py.

Per thread (``threading.local``): an RQ worker runs its jobs one after the other in
one thread, and a figure is never drawn by two threads at once.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.container import BarContainer
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import AutoLocator, FixedFormatter, FixedLocator

from analytics.chart_canvas import figure, png
from analytics.glyph_cache import GlyphCachingCanvas
from vocabulary.i18n import Locale

SPEND_COLOR = "#4C78A8"
ROAS_COLOR = "#F58518"
#: Figures kept per thread (one per number of days drawn; a daily report always has 14).
KEEP = 4
#: Backgrounds kept per figure (one per day labels and locale: a fan-out's day has few;
#: 2.7 MB each).
BACKGROUNDS = 4


class SpendRoasCanvas:
    """One figure for charts of ``n`` days; :meth:`render` draws one and returns its PNG."""

    def __init__(self, n: int, *, blit: bool = True) -> None:
        """``blit=False``: every chart drawn whole by ``Figure.draw`` (the reference picture)."""
        self.n = n
        # Drawn again and again: the glyphs of texts drawn before are kept.
        fig, ax = figure(8, 3.6, GlyphCachingCanvas)
        self.fig, self.ax = fig, ax
        positions = list(range(n))
        self.bars: BarContainer = ax.bar(positions, [0.0] * n, color=SPEND_COLOR)
        ax.set_xticks(positions, [""] * n)
        # No x label: placed once (not after measuring the 14 day labels on every draw).
        ax.xaxis.set_label_coords(0.5, -0.1)
        ax.tick_params(axis="x", rotation=45, labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        twin: Axes = ax.twinx()
        self.twin = twin
        self.line: Line2D = twin.plot(
            positions, [float("nan")] * n, color=ROAS_COLOR, marker="o", linewidth=2
        )[0]
        twin.set_ylabel("ROAS")
        # The ticks matplotlib would place, found once per chart (draw and crop ask for
        # them a dozen times) and then fixed with their labels.
        self.spend_ticks, self.roas_ticks = AutoLocator(), AutoLocator()
        self.spend_ticks.set_axis(ax.yaxis)
        self.roas_ticks.set_axis(twin.yaxis)
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
        # What may differ from one account's chart to the next, in the order Figure.draw
        # and Axes.draw draw it (the patch first, then by zorder; the twin after ax):
        # animated, so the background's draw leaves it out, and drawn on it per chart.
        static = {ax.patch, ax.xaxis, self.legend}
        self.own: list[Artist] = [
            a for a in sorted(ax.get_children(), key=attrgetter("zorder")) if a not in static
        ]
        self.own.append(twin)
        for artist in self.own:
            artist.set_animated(blit)
        self.blit = blit
        #: Background pixels (figure, axes, day labels, legend) by day labels and legend text.
        self.backgrounds: dict[tuple[tuple[str, ...], str], Any] = {}

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
        ax, twin = self.ax, self.twin
        for bar, height in zip(self.bars, spend, strict=True):
            bar.set_height(height)
        ax.set_xticks(range(self.n), labels)
        ax.set_ylabel(f"{locale.t('metric.spend')} ({currency})")
        self.line.set_ydata(roas)
        self.title.set_text(title)
        self.legend.get_texts()[0].set_text(locale.t("metric.spend"))
        # The limits a new figure would autoscale to from these data (bars from 0 by
        # their sticky edge; ROAS from 0 as the chart asks). The data's vertical extent
        # is set directly (what relim would find, without walking every bar's path).
        ax.dataLim.intervaly = (min(0.0, *spend), max(0.0, *spend))
        ax.autoscale_view(scalex=False)
        twin.set_autoscaley_on(True)
        # A new axis's limits: with no ROAS at all, autoscaling keeps limits it sees changed.
        twin.viewLim.intervaly = (0.0, 1.0)
        known = [v for v in roas if math.isfinite(v)]
        twin.dataLim.intervaly = (min(known), max(known)) if known else (math.inf, -math.inf)
        twin.autoscale_view(scalex=False)
        twin.set_ylim(bottom=0)
        self._fix_ticks(ax.yaxis, self.spend_ticks, lambda v: locale.number(Decimal(round(v))))
        self._fix_ticks(
            twin.yaxis, self.roas_ticks, lambda v: locale.ratio(Decimal(str(round(v, 2))))
        )
        self._draw(tuple(labels), locale.t("metric.spend"))
        return png(self.fig, ink=True, draw=False)

    def _draw(self, labels: tuple[str, ...], spend_text: str) -> None:
        """The background of these labels and legend, then this chart's own artists on it."""
        canvas = self.fig.canvas
        assert isinstance(canvas, FigureCanvasAgg)  # set by figure()
        if not self.blit:
            canvas.draw()  # type: ignore[no-untyped-call]
            return
        key = labels, spend_text
        background = self.backgrounds.get(key)
        if background is None:
            canvas.draw()  # type: ignore[no-untyped-call]  # the animated artists left out
            background = canvas.copy_from_bbox(self.fig.bbox)  # type: ignore[no-untyped-call]
            if len(self.backgrounds) >= BACKGROUNDS:
                self.backgrounds.pop(next(iter(self.backgrounds)))
            self.backgrounds[key] = background
        else:
            canvas.restore_region(background)  # type: ignore[no-untyped-call]
        renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
        for artist in self.own:
            artist.draw(renderer)

    @staticmethod
    def _fix_ticks(axis: Axis, auto: AutoLocator, label: Callable[[float], str]) -> None:
        ticks = auto()  # for the limits just set, as AutoLocator would at draw
        axis.set_major_locator(FixedLocator(ticks))
        axis.set_major_formatter(FixedFormatter([label(v) for v in ticks]))


_local = threading.local()


def canvas(n: int) -> SpendRoasCanvas:
    """This thread's figure for charts of ``n`` days (built on first use)."""
    kept: dict[int, SpendRoasCanvas] = _local.__dict__.setdefault("canvases", {})
    if n not in kept:
        if len(kept) >= KEEP:
            kept.pop(next(iter(kept)))
        kept[n] = SpendRoasCanvas(n)
    return kept[n]
