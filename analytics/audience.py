"""Who buys: the account's personas from Meta's breakdowns, and where they buy.

Meta refuses to mix demographic and placement breakdowns in one request, so
the personas come from the age × gender rows of the last 30 days (disjoint
segments that add up to the account), clustered by performance with
:func:`analytics.alerts.personas.build_personas` (k-means, 3–5 by silhouette),
and the placements (platform × position × device) are ranked apart by their
ROAS. The same figures feed the chat (``quem compra?``), the crew's plans (as
context, :func:`personas_block`) and the paused ad set a proposal can aim at a
persona (:func:`persona_targeting`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import vocabulary.alert_messages  # noqa: F401  (registers the personas' messages)
from ads.base import AdsPlatform, InsightRow, Level, Period
from analytics.alerts.personas import BreakdownRow, Persona, PersonaReport, build_personas
from vocabulary.i18n import Locale

DEMOGRAPHIC = ("age", "gender")
PLACEMENT = ("publisher_platform", "platform_position", "device_platform")
DAYS = 30
#: Placements worth naming: at least this share of spend.
MIN_PLACEMENT_SHARE = Decimal("0.03")


@dataclass(frozen=True)
class Placement:
    name: str  # "instagram · instagram_stories · mobile_app"
    share_of_spend: Decimal
    roas: Decimal | None


@dataclass(frozen=True)
class Audience:
    """Personas (best ROAS first), the best placements, and the period they come from."""

    report: PersonaReport
    rows: tuple[BreakdownRow, ...]  # the age × gender segments the personas group
    placements: tuple[Placement, ...]
    since: date
    until: date
    currency: str


def _row(row: InsightRow) -> BreakdownRow:
    parts = row.breakdown
    return BreakdownRow(
        spend=int(row.spend),
        conversions=int(row.conversions),
        revenue=int(row.revenue),
        age=parts.get("age"),
        gender=parts.get("gender"),
        impressions=row.impressions,
        clicks=row.clicks,
    )


def _placements(rows: Sequence[InsightRow]) -> tuple[Placement, ...]:
    total = sum((r.spend for r in rows), Decimal(0))
    out = []
    for row in rows:
        share = row.spend / total if total else Decimal(0)
        if share < MIN_PLACEMENT_SHARE:
            continue
        name = " · ".join(row.breakdown[k] for k in PLACEMENT if row.breakdown.get(k))
        roas = (row.revenue / row.spend).quantize(Decimal("0.01")) if row.spend else None
        out.append(Placement(name, share.quantize(Decimal("0.0001")), roas))
    return tuple(sorted(out, key=lambda p: -(p.roas or Decimal(0))))


def audience(ads: AdsPlatform, account_id: str, currency: str, today: date) -> Audience:
    """The last 30 complete days' personas and placements (two breakdown requests)."""
    period = Period(today - timedelta(days=DAYS), today - timedelta(days=1))
    demographic = ads.insights(account_id, Level.ACCOUNT, period, breakdowns=DEMOGRAPHIC)
    placement = ads.insights(account_id, Level.ACCOUNT, period, breakdowns=PLACEMENT)
    rows = tuple(_row(r) for r in demographic)
    report = build_personas(rows)
    report = replace(report, personas=tuple(_with_ages(p, rows) for p in report.personas))
    return Audience(report, rows, _placements(placement), period.since, period.until, currency)


#: Ages named in a persona without one dominant age: the biggest, up to this share of its spend.
AGE_COVER = 0.7


def _age_key(age: str) -> int:
    return int(age.rstrip("+").split("-")[0])


def _with_ages(persona: Persona, rows: Sequence[BreakdownRow]) -> Persona:
    """A persona named by its main ages when no single age dominates ("Mulheres 25–54")."""
    if "age" in persona.attributes:
        return persona
    spend: dict[str, int] = {}
    for index in persona.segments:
        age = rows[index].age
        if age:
            spend[age] = spend.get(age, 0) + rows[index].spend
    total = sum(spend.values())
    if not total:
        return persona
    chosen: list[str] = []
    for age, _ in sorted(spend.items(), key=lambda item: -item[1]):
        chosen.append(age)
        if sum(spend[a] for a in chosen) >= AGE_COVER * total:
            break
    ordered = sorted(chosen, key=_age_key)
    every = sorted(spend, key=_age_key)
    first, last = every.index(ordered[0]), every.index(ordered[-1])
    if last - first + 1 == len(ordered):  # contiguous: one span
        high = ordered[-1].split("-")[-1]
        span = f"{ordered[0].split('-')[0]}–{high}" if len(ordered) > 1 else ordered[0]
        spans = [span.replace("-", "–")]
    else:
        spans = [a.replace("-", "–") for a in ordered]
    who_pt, who_en = {"female": ("Mulheres", "Women"), "male": ("Homens", "Men")}.get(
        persona.attributes.get("gender", ""), ("Pessoas", "People")
    )
    ages_pt, ages_en = " e ".join(spans), " and ".join(spans)
    return replace(persona, name_pt=f"{who_pt} {ages_pt}", name_en=f"{who_en} {ages_en}")


def persona_line(persona: Persona, currency: str, locale: Locale) -> str:
    name = persona.name_pt if locale.language == "pt-BR" else persona.name_en
    return locale.t(
        "persona.line",
        name=name,
        share=locale.percent(persona.share_of_spend * 100, digits=0),
        roas=locale.ratio(persona.roas),
        cpa=locale.money(Decimal(persona.cpa), currency) if persona.cpa is not None else "—",
    )


def personas_block(found: Audience) -> str:
    """The personas as plain English data for the crew's prompts (figures from the model)."""
    if not found.report.personas:
        return ""
    locale = Locale("en")
    lines = [f"- {persona_line(p, found.currency, locale)}" for p in found.report.personas]
    where = [f"- {p.name}: ROAS {locale.ratio(p.roas)}" for p in found.placements[:3]]
    return "\n".join(
        [
            f"Audience personas (Meta breakdowns {found.since}..{found.until}, best ROAS first):",
            *lines,
            *(["Best placements:", *where] if where else []),
        ]
    )


_GENDER_CODES = {"male": 1, "female": 2}


def persona_targeting(
    persona: Persona, rows: Sequence[BreakdownRow], countries: Sequence[str] = ("BR",)
) -> dict[str, object]:
    """Meta targeting covering the persona's segments: their age span and, if one, gender."""
    targeting: dict[str, object] = {"geo_locations": {"countries": list(countries)}}
    members = [rows[i] for i in persona.segments]
    ages = [r.age for r in members if r.age]
    if ages:
        lows = [int(a.rstrip("+").split("-")[0]) for a in ages]
        highs = [65 if a.endswith("+") else int(a.split("-")[1]) for a in ages]
        targeting["age_min"], targeting["age_max"] = min(lows), min(max(highs), 65)
    genders = {r.gender for r in members if r.gender in _GENDER_CODES}
    if len(genders) == 1:
        targeting["genders"] = [_GENDER_CODES[genders.pop()]]
    return targeting
