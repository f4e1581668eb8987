"""Charts as PNG bytes (matplotlib, headless). Imported only by workers, never by the web app."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from analytics.chart_canvas import figure, png
from analytics.report import Report, Totals
from analytics.spend_roas_canvas import ROAS_COLOR, SPEND_COLOR, canvas
from storage.money import minor_to_major
from vocabulary.i18n import Locale
from vocabulary.replies import Chart

__all__ = ["ROAS_COLOR", "SPEND_COLOR", "response_curve_chart", "spend_roas_chart", "trend_chart"]


def spend_roas_chart(
    days: Sequence[tuple[str, Totals]], currency: str, locale: Locale, title: str
) -> Chart:
    """Spend as bars and ROAS as a line per day: the picture of a daily report."""
    labels = [label for label, _ in days]
    spend = [float(minor_to_major(t.spend, currency)) for _, t in days]  # plotting only
    # No ROAS (no spend) is a gap in the line, not a misleading zero.
    roas = [float(t.roas) if t.roas is not None else float("nan") for _, t in days]
    data = canvas(len(days)).render(labels, spend, roas, currency, locale, title)
    return Chart(title=title, png=data, filename="spend-roas.png", alt=title)


def trend_chart(report: Report, locale: Locale) -> Chart:
    days = [(locale.date(period.since), totals) for period, totals in report.daily]
    title = locale.t("chart.spend_roas", account=report.subject or report.account_name)
    return spend_roas_chart(days, report.currency, locale, title)


def response_curve_chart(
    points: Sequence[tuple[int, float, float, float]],
    current: int,
    proposed: int | None,
    currency: str,
    locale: Locale,
    title: str,
    break_even: Sequence[float] = (),
) -> Chart:
    """Expected daily revenue against the daily budget (with its 90% band), today's budget and
    the proposed one marked, and the revenue that breaks even at each budget (below it the
    spend loses money): the picture behind "por que?"."""

    def major(minor: float) -> float:
        return float(minor_to_major(Decimal(round(minor)), currency))  # plotting only

    budgets = [major(b) for b, _, _, _ in points]
    fig, ax = figure(7, 3.6)
    ax.fill_between(
        budgets, [major(lo) for _, _, lo, _ in points], [major(hi) for _, _, _, hi in points],
        color=SPEND_COLOR, alpha=0.18, label=locale.t("chart.curve_band"),
    )  # fmt: skip
    ax.plot(budgets, [major(m) for _, m, _, _ in points], color=SPEND_COLOR, linewidth=2)
    if break_even:
        ax.plot(budgets, [major(v) for v in break_even], color="#999999", linewidth=1,
                linestyle=":", label=locale.t("chart.curve_break_even"))  # fmt: skip
    ax.axvline(major(current), color="#555555", linestyle="--", linewidth=1)
    ax.annotate(locale.t("chart.curve_today"), (major(current), 0), xytext=(4, 4),
                textcoords="offset points", fontsize=8)  # fmt: skip
    if proposed is not None and proposed != current:
        ax.axvline(major(proposed), color=ROAS_COLOR, linestyle="--", linewidth=1.5)
        ax.annotate(locale.t("chart.curve_proposed"), (major(proposed), 0), xytext=(4, 16),
                    textcoords="offset points", fontsize=8, color=ROAS_COLOR)  # fmt: skip
    ax.set_xlabel(f"{locale.t('chart.curve_budget')} ({currency})")
    ax.set_ylabel(f"{locale.t('chart.curve_revenue')} ({currency})")
    ax.set_ylim(bottom=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, loc="left", fontsize=11)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return Chart(title=title, png=png(fig), filename="response-curve.png", alt=title)
