"""Result lines in pt-BR and English, as a card shows them."""

from __future__ import annotations

from decimal import Decimal

from analytics.experiments.bayes import BayesResult, Lift, VariantResult
from analytics.experiments.counts import Metric
from analytics.experiments.verdict import Status, Verdict
from analytics.experiments.wording import money, percent, probability, result_line, summary

B = VariantResult("B", 0.0142, 0.96, 0.001, Lift(0.18, 0.07, 0.29))
RESULT = BayesResult(Metric.CTR, (VariantResult("A", 0.012, 0.04, 0.18, None), B))


def test_the_issue_examples() -> None:
    assert result_line(Metric.CTR, B, "pt-BR") == (
        "B tem 96% de chance de ser melhor: +18% de CTR (IC 90%: +7% a +29%)"
    )
    assert result_line(Metric.CTR, B, "en") == (
        "B has a 96% chance to be best: +18% CTR (90% CI: +7% to +29%)"
    )


def test_numbers_follow_the_language() -> None:
    assert percent(0.004, "pt-BR") == "+0,4%"
    assert percent(0.004, "en") == "+0.4%"
    assert percent(-0.125, "pt-BR") == "-12%"  # half-even
    assert money(123_456, "pt-BR") == "R$ 1.234,56"
    assert money(123_456, "en") == "R$ 1,234.56"
    assert probability(0.9996) == ">99%" and probability(0.001) == "<1%"


def test_cpa_lift_reads_as_a_decrease_and_the_metric_is_named() -> None:
    cheaper = VariantResult("B", 4000, 0.97, 0.0, Lift(-0.2, -0.31, -0.08))
    line = result_line(Metric.CPA, cheaper, "pt-BR")
    assert line.endswith("-20% de CPA (IC 90%: -31% a -8%)")
    rate = VariantResult("C", 0.03, 0.5, 0.01, Lift(0.05, -0.02, 0.12))
    assert "+5% conversion rate (90% CI: -2% to +12%)" in result_line(Metric.CVR, rate, "en")


def test_summaries_for_each_status() -> None:
    running = Verdict(Status.RUNNING, 9, 21, bayes=RESULT)
    assert summary(running, "pt-BR")[0] == "Teste em andamento: dia 9 de 21."
    assert summary(running, "en")[1].startswith("B has a 96% chance")
    won = Verdict(Status.WINNER, 14, 21, winner="B", bayes=RESULT)
    assert summary(won, "pt-BR")[0] == "Vencedor: B."
    assert summary(Verdict(Status.INCONCLUSIVE, 21, 21), "en")[0].startswith(
        "Inconclusive after 21 days"
    )
    stopped = Verdict(
        Status.STOPPED_GUARDRAIL, 4, 21, guardrail_variant="B", cpa={"B": Decimal(9800)}
    )
    assert summary(stopped, "pt-BR", cpa_target=4500)[0] == (
        "Teste parado: o CPA de B (R$ 98,00) passou do limite (2x a meta: R$ 90,00)."
    )
    assert "B's CPA (R$ 98.00)" in summary(stopped, "en", cpa_target=4500)[0]


def test_the_control_line_when_it_leads() -> None:
    control = VariantResult("A", 0.012, 0.9, 0.0, None)
    worse = VariantResult("B", 0.011, 0.1, 0.08, Lift(-0.08, -0.15, 0.0))
    lines = summary(
        Verdict(Status.RUNNING, 7, 21, bayes=BayesResult(Metric.CTR, (control, worse))), "pt-BR"
    )
    assert lines[1] == "A tem 90% de chance de ser melhor (controle)"
