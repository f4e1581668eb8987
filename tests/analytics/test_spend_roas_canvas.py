"""A daily chart drawn on a reused figure is the chart a new figure draws: nothing carries over.

And drawn on a kept background (blitting), it is matplotlib's own full draw, byte for byte.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import vocabulary.schedule_messages  # noqa: F401  (registers the chart's title)
from analytics.charts import spend_roas_chart
from analytics.report import Totals
from analytics.spend_roas_canvas import SpendRoasCanvas
from storage.money import minor_to_major
from vocabulary.i18n import Locale

Case = tuple[list[tuple[str, Totals]], str, Locale, str]


def case(language: str, account: str, spend: list[int], revenue: list[int]) -> Case:
    locale = Locale(language=language)
    days = [
        (locale.date(date(2026, 11, 22) + timedelta(days=n)),
         Totals(spend=Decimal(s), revenue=Decimal(r)))
        for n, (s, r) in enumerate(zip(spend, revenue, strict=True))
    ]  # fmt: skip
    return days, "BRL", locale, locale.t("daily.chart_title", account=account, days=len(days))


#: A big pt-BR account, and a small English one with days without spend (no ROAS: gaps).
A = case("pt-BR", "Loja Aurora", [900_000 + 50_000 * n for n in range(14)],
         [2_700_000 - 90_000 * n for n in range(14)])  # fmt: skip
B = case("en", "Tiny Shop", [0, 0, 1_200, 0, 3_000, 900, 0, 0, 0, 450, 0, 0, 8_000, 0],
         [0, 0, 9_600, 0, 1_500, 0, 0, 0, 0, 4_000, 0, 0, 2_000, 0])  # fmt: skip
NOTHING = case("pt-BR", "Loja Parada", [0] * 14, [0] * 14)
#: Accents above and descenders below a long title (near the legend), spend in the billions
#: (wide tick labels push the y label out), ROAS in the hundreds.
TALL = case("pt-BR", "Ágape Jóias & Pájaro Çarpintaria — Gypsy Quiosque " * 2,
            [0, 9 * 10**11, 3 * 10**11, 0, 10**12, 0, 5 * 10**10, 1, 0, 7 * 10**11, 0, 0, 10, 0],
            [0, 9 * 10**13, 0, 0, 10**12, 0, 5 * 10**10, 900, 0, 0, 0, 0, 1000, 0])  # fmt: skip


def fresh(chart: Case) -> bytes:
    """The chart drawn by a thread of its own: a figure built for it alone."""
    out: list[bytes] = []
    thread = threading.Thread(target=lambda: out.append(spend_roas_chart(*chart).png))
    thread.start()
    thread.join()
    return out[0]


def test_each_chart_on_a_reused_figure_is_its_fresh_picture() -> None:
    drawn = [spend_roas_chart(*chart).png for chart in (A, B, NOTHING, A, B)]

    assert drawn == [fresh(A), fresh(B), fresh(NOTHING), fresh(A), fresh(B)]
    assert drawn[0] != drawn[1] != drawn[2]


def test_a_chart_of_another_length_gets_its_own_figure() -> None:
    week = (A[0][:7], A[1], A[2], A[3])

    assert spend_roas_chart(*week).png == fresh(week)
    assert spend_roas_chart(*A).png == fresh(A)


def drawn(on: SpendRoasCanvas, chart: Case) -> bytes:
    """The chart's PNG on ``on``, from what ``spend_roas_chart`` would give it."""
    days, currency, locale, title = chart
    spend = [float(minor_to_major(t.spend, currency)) for _, t in days]
    roas = [float(t.roas) if t.roas is not None else float("nan") for _, t in days]
    return on.render([label for label, _ in days], spend, roas, currency, locale, title)


def test_a_chart_drawn_on_a_kept_background_is_the_whole_figure_drawn() -> None:
    blitted, whole = SpendRoasCanvas(14), SpendRoasCanvas(14, blit=False)
    charts = [A, B, NOTHING, TALL, A, TALL, B]

    pictures = [drawn(blitted, chart) for chart in charts]

    assert TALL[3].startswith("Ágape Jóias")  # the title drawn, not its message key

    assert pictures == [drawn(whole, chart) for chart in charts]
    assert len(set(pictures)) == 4
