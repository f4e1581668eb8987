"""The brain's decisions in the reader's words: what a card says, and what "por que?" adds.

Every figure comes from the models (a curve, a posterior, the nowcast); nothing
here computes. Input is a decision as stored (:meth:`Decision.to_json`), so a
card can be re-rendered in another language long after the night that made it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from vocabulary.i18n import Locale, register

MESSAGES: dict[str, dict[str, str]] = {
    "brain.kind.scale": {"pt-BR": "Escalar", "en": "Scale"},
    "brain.kind.trim": {"pt-BR": "Reduzir", "en": "Trim"},
    "brain.kind.reallocate": {"pt-BR": "Realocar", "en": "Reallocate"},
    "brain.kind.pause": {"pt-BR": "Pausar", "en": "Pause"},
    "brain.kind.limit_cut": {
        "pt-BR": "Cortar pelo limite mensal",
        "en": "Cut for the monthly limit",
    },
    "brain.kind.limit_pause": {
        "pt-BR": "Pausar pelo limite mensal",
        "en": "Pause for the monthly limit",
    },
    "brain.budget": {
        "pt-BR": "Orçamento {current} → {proposed}/dia.",
        "en": "Budget {current} → {proposed}/day.",
    },
    "brain.pause_budget": {
        "pt-BR": "Hoje gasta até {current}/dia.",
        "en": "Spends up to {current}/day today.",
    },
    "brain.marginal": {
        "pt-BR": "ROAS marginal {mean} (IC 90%: {low} a {high}) vs equilíbrio {break_even}.",
        "en": "Marginal ROAS {mean} (90% CI: {low} to {high}) vs break-even {break_even}.",
    },
    "brain.average": {
        "pt-BR": "ROAS médio {mean} (IC 90%: {low} a {high}).",
        "en": "Average ROAS {mean} (90% CI: {low} to {high}).",
    },
    "brain.profit": {
        "pt-BR": "Lucro de contribuição esperado {mean}/dia ({low} a {high}).",
        "en": "Expected contribution profit {mean}/day ({low} to {high}).",
    },
    "brain.break_even.margin": {
        "pt-BR": "Equilíbrio pela margem bruta de {margin}.",
        "en": "Break-even from the {margin} gross margin.",
    },
    "brain.break_even.roas_target": {
        "pt-BR": "Sem margem bruta configurada: a meta de ROAS vale como equilíbrio.",
        "en": "No gross margin set: the ROAS target stands in as break-even.",
    },
    "brain.provisional": {
        "pt-BR": "Dias ainda provisórios, completados pelo modelo de atraso: {days}.",
        "en": "Days still provisional, completed by the lag model: {days}.",
    },
    "brain.provisional_raw": {
        "pt-BR": "Dias ainda provisórios, contados como reportados até agora (ainda sem modelo de atraso): {days}.",
        "en": "Days still provisional, counted as reported so far (no lag model yet): {days}.",
    },
    "brain.learning": {
        "pt-BR": "Mudança acima de 20%: a fase de aprendizado recomeça.",
        "en": "A change over 20%: the learning phase restarts.",
    },
    "brain.related": {
        "pt-BR": "Par de realocação com: {names}.",
        "en": "Reallocation paired with: {names}.",
    },
    "brain.changed": {
        "pt-BR": "Proposta recusada antes; desde então mudou: {changes}.",
        "en": "Rejected before; since then: {changes}.",
    },
    "brain.reason.marginal_above_break_even": {
        "pt-BR": "Cada real a mais ainda volta acima do equilíbrio.",
        "en": "Each extra unit of spend still returns above break-even.",
    },
    "brain.reason.marginal_below_break_even": {
        "pt-BR": "O último real gasto volta abaixo do equilíbrio (saturação).",
        "en": "The last unit spent returns below break-even (saturation).",
    },
    "brain.reason.average_below_break_even": {
        "pt-BR": "Mesmo o ROAS médio está abaixo do equilíbrio, com evidência.",
        "en": "Even the average ROAS is below break-even, with evidence.",
    },
    "brain.reason.cpa_above_target": {
        "pt-BR": "CPA acima da meta, com evidência (sem margem nem meta de ROAS).",
        "en": "CPA above target, with evidence (no margin or ROAS target).",
    },
    "brain.reason.higher_marginal_elsewhere": {
        "pt-BR": "Outro conjunto rende mais por real no limite do mês.",
        "en": "Another holder returns more per unit within the month's limit.",
    },
    "brain.reason.higher_marginal_here": {
        "pt-BR": "Aqui cada real rende mais que onde o orçamento sai.",
        "en": "Each unit returns more here than where the budget comes from.",
    },
    "brain.reason.monthly_limit": {
        "pt-BR": "Sem isso o mês passa do limite; corta onde o lucro marginal é menor.",
        "en": "Without it the month overshoots its limit; cuts where marginal profit is lowest.",
    },
}
register(MESSAGES)


def _ratio(locale: Locale, value: str | None) -> str:
    return locale.ratio(Decimal(value)) if value is not None else "—"


def _money(locale: Locale, value: int | None, currency: str, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    text = locale.money(Decimal(value), currency)
    return f"+{text}" if signed and value > 0 else text


def _days(locale: Locale, days: list[str]) -> str:
    return ", ".join(locale.date(date.fromisoformat(d)) for d in days)


def decision_lines(
    decision: Mapping[str, Any],
    locale: Locale,
    currency: str,
    *,
    margin: Decimal | None = None,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """The figures behind one decision, one sentence a line (cards and "por que?")."""
    kind = str(decision["kind"])
    lines = [f"{locale.t(f'brain.kind.{kind}')}: {locale.t('brain.reason.' + decision['reason'])}"]
    if decision.get("proposed_budget") is not None:
        lines.append(
            locale.t(
                "brain.budget",
                current=_money(locale, decision.get("current_budget"), currency),
                proposed=_money(locale, decision["proposed_budget"], currency),
            )
        )
    elif decision.get("current_budget") is not None:
        lines.append(
            locale.t(
                "brain.pause_budget", current=_money(locale, decision["current_budget"], currency)
            )
        )
    marginal = decision.get("marginal_roas")
    if marginal and decision.get("break_even") is not None:
        lines.append(
            locale.t(
                "brain.marginal",
                mean=_ratio(locale, marginal["mean"]),
                low=_ratio(locale, marginal["low"]),
                high=_ratio(locale, marginal["high"]),
                break_even=_ratio(locale, decision["break_even"]),
            )
        )
    average = decision.get("average_roas")
    if average and kind in ("pause", "limit_pause"):
        lines.append(
            locale.t(
                "brain.average",
                mean=_ratio(locale, average["mean"]),
                low=_ratio(locale, average["low"]),
                high=_ratio(locale, average["high"]),
            )
        )
    profit = decision.get("profit_change")
    if profit:
        lines.append(
            locale.t(
                "brain.profit",
                mean=_money(locale, profit["mean"], currency, signed=True),
                low=_money(locale, profit["low"], currency, signed=True),
                high=_money(locale, profit["high"], currency, signed=True),
            )
        )
    source = decision.get("break_even_source")
    if source == "margin" and margin is not None:
        lines.append(locale.t("brain.break_even.margin", margin=locale.percent(margin, 0)))
    elif source == "roas_target":
        lines.append(locale.t("brain.break_even.roas_target"))
    if decision.get("provisional_days"):
        lines.append(
            locale.t("brain.provisional", days=_days(locale, decision["provisional_days"]))
        )
    if decision.get("resets_learning"):
        lines.append(locale.t("brain.learning"))
    related = decision.get("related") or []
    if related:
        shown = [(names or {}).get(r, r) for r in related]
        lines.append(locale.t("brain.related", names=", ".join(shown)))
    changed = decision.get("changed_since_rejection") or []
    if changed:
        parts = [
            f"{c['figure']} {locale.number(Decimal(str(round(c['then'], 2))), 2)} → "
            f"{locale.number(Decimal(str(round(c['now'], 2))), 2)}"
            for c in changed
        ]
        lines.append(locale.t("brain.changed", changes="; ".join(parts)))
    return lines
