"""A test's small chart: each variant's cumulative metric by day (matplotlib, worker only)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt

from vocabulary.replies import Chart

COLORS = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2")


def variants_chart(
    series: Mapping[str, Sequence[tuple[date, float]]],
    title: str,
    *,
    percent: bool,
    decimal: str = ".",
) -> Chart:
    """One line per variant; ``percent`` shows values x100 with a % axis (CTR, CVR);
    ``decimal`` is the reader's decimal mark ("," in pt-BR)."""
    fig, ax = plt.subplots(figsize=(5.0, 2.4))
    for index, (name, points) in enumerate(series.items()):
        if not points:
            continue
        days = [f"{d:%d/%m}" for d, _ in points]  # one label per day, shared by variants
        values = [v * 100 if percent else v for _, v in points]  # plotting only
        ax.plot(
            days, values, marker="o", markersize=3, color=COLORS[index % len(COLORS)], label=name
        )
    ax.set_title(title, fontsize=9)
    ax.tick_params(labelsize=7)
    if percent:
        ax.yaxis.set_major_formatter(lambda value, _pos: f"{value:.2f}%".replace(".", decimal))
    ax.legend(fontsize=7, loc="best")
    fig.autofmt_xdate()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return Chart(title=title, png=buffer.getvalue(), filename="teste.png", alt=title)
