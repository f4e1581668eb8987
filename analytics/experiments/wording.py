"""Results of a test in plain words, pt-BR first and English second.

"B tem 96% de chance de ser melhor: +18% de CTR (IC 90%: +7% a +29%)" /
"B has a 96% chance to be best: +18% CTR (90% CI: +7% to +29%)". Percentages are whole
numbers (one decimal below 1%); pt-BR uses a decimal comma and "." for thousands.
Probabilities are never shown as 0% or 100% (the models cannot be that sure).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal

from analytics.experiments.bayes import BayesResult, Lift, VariantResult
from analytics.experiments.counts import Metric
from analytics.experiments.verdict import Status, Verdict

Language = Literal["pt-BR", "en"]


def language_of(value: str) -> Language:
    """A reader's language as the wording knows it (anything not Portuguese reads English)."""
    return "pt-BR" if value == "pt-BR" else "en"


_METRIC_NAMES: dict[Metric, dict[str, str]] = {
    Metric.CTR: {"pt-BR": "CTR", "en": "CTR"},
    Metric.CVR: {"pt-BR": "taxa de conversão", "en": "conversion rate"},
    Metric.CPA: {"pt-BR": "CPA", "en": "CPA"},
    Metric.ROAS: {"pt-BR": "ROAS", "en": "ROAS"},
}


def _number(value: Decimal, places: int, language: Language) -> str:
    """``value`` with ``places`` decimals and the language's separators."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{value.quantize(quantum, rounding=ROUND_HALF_EVEN):,.{places}f}"
    if language == "pt-BR":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def percent(value: float, language: Language, *, signed: bool = True) -> str:
    """A relative change as a percentage: 0.18 -> "+18%", 0.004 -> "+0,4%" (pt-BR)."""
    hundred = Decimal(repr(value)) * 100
    places = 1 if abs(hundred) < Decimal("0.95") else 0
    text = _number(abs(hundred), places, language)
    if text.strip("0.,") == "":
        return "0%"
    sign = ("+" if hundred > 0 else "-") if signed else ("-" if hundred < 0 else "")
    return f"{sign}{text}%"


def probability(value: float) -> str:
    """A probability as a whole percentage, kept within "<1%" and ">99%"."""
    if value < 0.005:
        return "<1%"
    if value > 0.995:
        return ">99%"
    return f"{round(value * 100)}%"


def money(minor: Decimal | int, language: Language, symbol: str = "R$") -> str:
    """Minor units as money: 4500 -> "R$ 45,00" (pt-BR) / "R$ 45.00" (en)."""
    return f"{symbol} {_number(Decimal(minor) / 100, 2, language)}"


def lift_phrase(metric: Metric, lift: Lift, language: Language) -> str:
    """'+18% de CTR (IC 90%: +7% a +29%)' / '+18% CTR (90% CI: +7% to +29%)'."""
    name = _METRIC_NAMES[metric][language]
    mass = round(lift.mass * 100)
    low, mid, high = (percent(x, language) for x in (lift.low, lift.median, lift.high))
    if language == "pt-BR":
        return f"{mid} de {name} (IC {mass}%: {low} a {high})"
    return f"{mid} {name} ({mass}% CI: {low} to {high})"


def result_line(metric: Metric, variant: VariantResult, language: Language) -> str:
    """One variant against the control, e.g. 'B tem 96% de chance de ser melhor: +18% ...'."""
    chance = probability(variant.prob_best)
    if language == "pt-BR":
        head = f"{variant.name} tem {chance} de chance de ser melhor"
    else:
        head = f"{variant.name} has a {chance} chance to be best"
    if variant.lift is None:
        return head + (" (controle)" if language == "pt-BR" else " (control)")
    return f"{head}: {lift_phrase(metric, variant.lift, language)}"


def result_lines(result: BayesResult, language: Language) -> list[str]:
    """Every challenger's line; the control's too when it is the most likely best."""
    lines = [result_line(result.metric, v, language) for v in result.variants[1:]]
    if result.leader is result.control:
        lines.insert(0, result_line(result.metric, result.control, language))
    return lines


def verdict_line(
    verdict: Verdict,
    language: Language,
    *,
    cpa_target: Decimal | int | None = None,
    symbol: str = "R$",
) -> str:
    """The headline of a test's card for today's verdict."""
    pt = language == "pt-BR"
    if verdict.status is Status.WINNER:
        return f"Vencedor: {verdict.winner}." if pt else f"Winner: {verdict.winner}."
    if verdict.status is Status.INCONCLUSIVE:
        if pt:
            return (
                f"Inconclusivo após {verdict.day} dias: nenhuma variação se mostrou melhor "
                "com segurança."
            )
        return f"Inconclusive after {verdict.day} days: no variant proved better with confidence."
    if verdict.status is Status.STOPPED_GUARDRAIL:
        name = verdict.guardrail_variant or "?"
        observed = verdict.cpa.get(name)
        limit = Decimal(cpa_target) * 2 if cpa_target is not None else None
        if pt:
            cost = f"o CPA de {name}" + (
                f" ({money(observed, language, symbol)})" if observed else ""
            )
            target = f" (2x a meta: {money(limit, language, symbol)})" if limit else ""
            return f"Teste parado: {cost} passou do limite{target}."
        cost = f"{name}'s CPA" + (f" ({money(observed, language, symbol)})" if observed else "")
        target = f" (2x the target: {money(limit, language, symbol)})" if limit else ""
        return f"Test stopped: {cost} went over the limit{target}."
    if pt:
        return f"Teste em andamento: dia {verdict.day} de {verdict.planned_days}."
    return f"Test running: day {verdict.day} of {verdict.planned_days}."


def summary(
    verdict: Verdict,
    language: Language,
    *,
    cpa_target: Decimal | int | None = None,
    symbol: str = "R$",
) -> list[str]:
    """Headline then result lines, ready for a card."""
    lines = [verdict_line(verdict, language, cpa_target=cpa_target, symbol=symbol)]
    if verdict.bayes is not None:
        lines.extend(result_lines(verdict.bayes, language))
    return lines
