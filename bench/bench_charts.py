"""The daily report's chart, drawn N times in one process: ms of CPU per chart, old vs new.

Old: the chart as drawn before (a new figure, axes, bars and legend per chart, saved
by ``imsave``), kept here as the baseline. New: ``analytics.charts.spend_roas_chart``
as the worker calls it. A fan-out draws one per account (issue 14: 1,000 reports in
60 s on 2 workers leaves ~100 ms of CPU for a whole report). Accounts differ (names,
spend scale, days without spend, pt-BR and English) so a reused figure is exercised
the way a fan-out would. Also printed: how far the new picture is from the old (mean
absolute pixel difference of what they drew, 0..1, and how
many pixels the white margins differ by) and the PNG sizes. CPU time (process_time): wall
time on a loaded machine says little.

Run::

    .venv/bin/python bench/bench_charts.py            # 60 charts each
    .venv/bin/python bench/bench_charts.py --charts 200
"""

from __future__ import annotations

import argparse
import io
import random
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import imread, imsave
from matplotlib.ticker import FuncFormatter

import vocabulary.schedule_messages  # noqa: F401  (registers the chart's title)
from analytics.chart_canvas import DPI, PAD, figure
from analytics.charts import ROAS_COLOR, SPEND_COLOR, spend_roas_chart
from analytics.report import Totals
from storage.money import minor_to_major
from vocabulary.i18n import Locale

Days = list[tuple[str, Totals]]
Case = tuple[Days, str, Locale, str]


def old_chart(
    days: Sequence[tuple[str, Totals]], currency: str, locale: Locale, title: str
) -> bytes:
    """The daily chart as commit 94741de drew it: a new figure each time."""
    labels = [label for label, _ in days]
    spend = [float(minor_to_major(t.spend, currency)) for _, t in days]
    roas = [float(t.roas) if t.roas is not None else float("nan") for _, t in days]
    fig, ax = figure(8, 3.6)
    ax.bar(labels, spend, color=SPEND_COLOR, label=locale.t("metric.spend"))
    ax.set_ylabel(f"{locale.t('metric.spend')} ({currency})")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: locale.number(Decimal(round(v)))))
    ax.tick_params(axis="x", rotation=45, labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    twin = ax.twinx()
    twin.plot(labels, roas, color=ROAS_COLOR, marker="o", linewidth=2, label="ROAS")
    twin.set_ylabel("ROAS")
    twin.set_ylim(bottom=0)
    twin.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _: locale.ratio(Decimal(str(round(v, 2)))))
    )
    twin.spines[["top"]].set_visible(False)
    ax.set_title(title, loc="left", fontsize=11, pad=22, y=1.0)
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles, [locale.t("metric.spend"), "ROAS"], loc="lower left",
              bbox_to_anchor=(0, 1.0), ncol=2, fontsize=8, frameon=False)  # fmt: skip
    return old_png(fig)


def old_png(fig: Figure) -> bytes:
    """``chart_canvas.png`` as of commit 94741de: every artist measured, ``imsave`` (RGBA, zlib 6)."""
    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    canvas.draw()  # type: ignore[no-untyped-call]
    box = fig.get_tightbbox(canvas.get_renderer()).padded(PAD)  # type: ignore[no-untyped-call]
    _, height = canvas.get_width_height()
    pixels = np.asarray(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    left, right = max(round(box.x0 * DPI), 0), round(box.x1 * DPI)
    top, bottom = max(round(height - box.y1 * DPI), 0), round(height - box.y0 * DPI)
    buffer = io.BytesIO()
    imsave(buffer, pixels[top:bottom, left:right], format="png", dpi=DPI)
    return buffer.getvalue()


def new_chart(
    days: Sequence[tuple[str, Totals]], currency: str, locale: Locale, title: str
) -> bytes:
    return spend_roas_chart(days, currency, locale, title).png


def cases(count: int, seed: int = 14) -> list[Case]:
    rng = random.Random(seed)
    out: list[Case] = []
    for i in range(count):
        locale = Locale(language="pt-BR" if i % 3 else "en")
        scale = 10 ** rng.uniform(3, 7)  # R$ 10 .. R$ 100.000 a day, in centavos
        days: Days = []
        for n in range(14):
            spend = 0 if rng.random() < 0.1 else int(scale * rng.uniform(0.5, 1.5))
            revenue = int(spend * rng.uniform(0.5, 6))
            day = locale.date(date(2026, 11, 22) + timedelta(days=n))
            days.append((day, Totals(spend=Decimal(spend), revenue=Decimal(revenue))))
        title = locale.t("daily.chart_title", account=f"Loja {i:04d} Aurora", days=14)
        out.append((days, "BRL", locale, title))
    return out


def timed(draw: Callable[..., bytes], work: list[Case]) -> tuple[float, list[bytes]]:
    draw(*work[0])  # fonts and the figure of a warm worker
    started = time.process_time()
    pictures = [draw(*case) for case in work]
    return (time.process_time() - started) * 1000 / len(work), pictures


def pixels(data: bytes) -> np.ndarray:
    return imread(io.BytesIO(data), format="png")[..., :3]  # type: ignore[no-any-return]


def inked(data: bytes) -> np.ndarray:
    """The picture without its white margin (the two crops differ by a few pixels)."""
    image = pixels(data)
    drawn: np.ndarray = np.any(image < 1, axis=2)
    rows, cols = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
    return image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def distance(a: bytes, b: bytes) -> float:
    """Mean absolute difference (0..1) of what the two pictures drew; 1 if sizes differ."""
    pa, pb = inked(a), inked(b)
    return float(np.abs(pa - pb).mean()) if pa.shape == pb.shape else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=60)
    args = parser.parse_args()
    work = cases(args.charts)
    old_ms, old = timed(old_chart, work)
    new_ms, new = timed(new_chart, work)
    worst = max(distance(a, b) for a, b in zip(old, new, strict=True))
    margin = max(
        abs(x - y) for a, b in zip(old, new, strict=True)
        for x, y in zip(pixels(a).shape, pixels(b).shape, strict=True)
    )  # fmt: skip
    print(f"charts: {args.charts} (14 days each, pt-BR and English), CPU per chart")
    print(f"  old (new figure per chart): {old_ms:7.1f} ms")
    print(f"  new (figure reused):        {new_ms:7.1f} ms   ratio old/new {old_ms / new_ms:.1f}x")
    print(f"  drawn content: worst mean pixel difference {worst:.4f} (0: identical)")
    print(f"  picture size (white margin included): differs by at most {margin} px")
    print(f"  PNG bytes, mean: old {np.mean([len(p) for p in old]):.0f}, "
          f"new {np.mean([len(p) for p in new]):.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
