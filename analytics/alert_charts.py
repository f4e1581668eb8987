"""Small charts of the smart alerts and the personas: an alert's metric observed against
expected hour by hour; each persona's share of spend and ROAS.

PNG bytes with matplotlib (headless); imported only where an alert is sent (a
worker), never by the web app.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt

import vocabulary.alert_messages  # noqa: F401  (registers the alerts' messages)
from analytics.alerts.findings import ChartSeries
from vocabulary.i18n import Locale
from vocabulary.replies import Chart

OBSERVED_COLOR = "#E45756"
EXPECTED_COLOR = "#4C78A8"


def alert_chart(series: ChartSeries, locale: Locale) -> Chart:
    """Observed (line) and expected (dashed) values of the alert's metric over the last hours."""
    metric = locale.t(f"smart.metric.{series.metric}")
    title = locale.t("smart.chart_title", metric=metric)
    hours = list(range(len(series.hours)))
    nan = float("nan")
    observed = [float(v) if v is not None else nan for v in series.observed]  # plotting only
    expected = [float(v) if v is not None else nan for v in series.expected]
    fig, ax = plt.subplots(figsize=(6, 2.6))
    ax.plot(hours, expected, color=EXPECTED_COLOR, linestyle="--", linewidth=1.5,
            label=locale.t("smart.expected"))  # fmt: skip
    ax.plot(hours, observed, color=OBSERVED_COLOR, linewidth=2, label=locale.t("smart.observed"))
    step = max(1, len(hours) // 6)
    ticks = hours[::step]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{series.hours[i]:%d/%m %Hh}" for i in ticks], fontsize=7, rotation=30)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, loc="left", fontsize=10)
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return Chart(title=title, png=buffer.getvalue(), filename="alert.png", alt=title)


def persona_chart(
    names: list[str], shares: list[float], roas: list[float], locale: Locale
) -> Chart:
    """Each persona's share of spend (bars) with its ROAS written beside it."""
    title = locale.t("persona.chart_title")
    fig, ax = plt.subplots(figsize=(6, 0.5 + 0.55 * len(names)))
    positions = list(range(len(names)))[::-1]
    ax.barh(positions, [100 * s for s in shares], color=EXPECTED_COLOR)
    for y, share, value in zip(positions, shares, roas, strict=True):
        ax.text(100 * share + 0.5, y, f"ROAS {value:.2f}x", va="center", fontsize=8)
    ax.set_yticks(positions)
    ax.set_yticklabels(names, fontsize=8)
    ax.set_xlabel(locale.t("persona.share_axis"), fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, loc="left", fontsize=10)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return Chart(title=title, png=buffer.getvalue(), filename="personas.png", alt=title)
