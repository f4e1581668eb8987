"""The crew's results as chat replies, in the reader's language and currency format."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from crews import messages  # noqa: F401  (registers the crew's messages)
from crews.models import Analysis, CampaignPlan, CopyVariation, Recommendations
from storage.money import major_to_whole_minor
from vocabulary.i18n import Locale
from vocabulary.inbound import Action
from vocabulary.replies import Button, Reply, Table

PLAN_ACTION = "plan.create_drafts"


def plan_reply(plan: CampaignPlan, run_id: str, locale: Locale) -> Reply:
    t, cur = locale.t, plan.currency
    brief = plan.brief
    objective = t(f"crew.objective.{brief.objective}")
    intro = t(
        "crew.plan.intro",
        objective=objective,
        days=plan.duration_days,
        total=locale.money(Decimal(plan.total_budget), cur),
        daily=locale.money(Decimal(plan.daily_budget), cur),
    )
    brief_body = t(
        "crew.plan.brief_body",
        audience=brief.audience,
        message=brief.key_message,
        offer=brief.offer or "—",
        formats=", ".join(brief.formats),
    )
    creatives = "\n".join(
        f"• [{c.format}] {c.title}: {c.concept}" + (f" — {c.hook}" if c.hook else "")
        for c in plan.creatives
    )
    copies = "\n".join(f"• {c.headline} — {c.primary_text}" for c in plan.copies)
    adset_lines = [
        t(
            "crew.plan.adset_line",
            name=a.name,
            budget=locale.money(Decimal(a.daily_budget), cur),
            share=locale.percent(a.share, digits=0),
            audience=a.audience,
            ages=f"{a.age_min}-{a.age_max}",
            countries=", ".join(a.countries),
        )
        for a in plan.adsets
    ]
    structure = "\n".join(
        [*(f"• {line}" for line in adset_lines), t("crew.plan.bidding", bid=plan.bid_strategy)]
    )
    forecast = plan.forecast
    forecast_lines = [
        t(
            "crew.plan.forecast_line",
            ctr=locale.percent(forecast.expected_ctr),
            cpa=locale.money(major_to_whole_minor(forecast.expected_cpa, cur), cur)
            if forecast.expected_cpa is not None
            else "—",
            roas=locale.ratio(forecast.expected_roas),
            confidence=t(f"crew.confidence.{forecast.confidence}"),
        ),
        model_basis_line(forecast.basis, locale, cur),
        *(f"• {risk}" for risk in forecast.risks),
    ]
    if plan.kpi_gaps:
        forecast_lines.append(
            t("crew.plan.gaps", rounds=plan.rounds, gaps="; ".join(plan.kpi_gaps))
        )
    elif plan.rounds >= 1:
        forecast_lines.append(t("crew.plan.meets_targets"))
    sections: list[tuple[str, str]] = [
        (t("crew.plan.brief"), brief_body),
        (t("crew.plan.creatives"), creatives),
        (t("crew.plan.copies"), copies),
        (t("crew.plan.structure"), structure),
        (t("crew.plan.forecast"), "\n".join(forecast_lines)),
    ]
    if plan.warnings:
        sections.append((t("crew.plan.warnings"), "\n".join(f"• {w}" for w in plan.warnings)))
    title = t("crew.plan.title", name=brief.campaign_name)
    context = t("crew.plan.context", currency=cur, variant=plan.prompt_variant, rounds=plan.rounds)
    next_step = t("crew.plan.next")
    text = _text(title, intro, sections, next_step)
    table = Table(
        columns=(t("crew.plan.col.adset"), t("crew.plan.col.daily"), t("crew.plan.col.share")),
        rows=tuple(
            (a.name, locale.money(Decimal(a.daily_budget), cur), locale.percent(a.share, digits=0))
            for a in plan.adsets
        ),
    )
    return Reply(
        text,
        kind="message",
        title=title,
        sections=tuple(sections),
        table=table,
        buttons=(Button(t("crew.plan.button"), Action(PLAN_ACTION, run_id), style="primary"),),
        context=context,
        data={"run_id": run_id},
    )


def analysis_reply(
    analysis: Analysis,
    recommendations: Recommendations | None,
    proposals: Sequence[dict[str, object]],
    currency: str,
    locale: Locale,
) -> Reply:
    t = locale.t
    sections: list[tuple[str, str]] = []
    if analysis.findings:
        sections.append(
            (t("crew.analysis.findings"), "\n".join(f"• {f}" for f in analysis.findings))
        )
    if recommendations is not None:
        body = recommendations.summary
        if recommendations.actions:
            body += "\n" + "\n".join(f"• {a}" for a in recommendations.actions)
        sections.append((t("crew.analysis.recommendations"), body))
    lines = []
    for p in proposals:
        kind = str(p["kind"])
        if kind == "set_budget":
            new_value: dict[str, Any] = p.get("new_value") or {}  # type: ignore[assignment]
            budget = Decimal(str(new_value.get("daily_budget", "0")))
            action = t("crew.action.set_budget", budget=locale.money(budget, currency))
        else:
            action = t(f"crew.action.{kind}")
        lines.append(
            "• "
            + t(
                "crew.analysis.proposal_line",
                action=action,
                campaign=p["campaign_name"],
                verdict=t(f"crew.verdict.{p['verdict']}"),
                proposal=str(p["proposal_id"])[:8],
            )
        )
    sections.append(
        (t("crew.analysis.proposals"), "\n".join(lines) or t("crew.analysis.no_proposals"))
    )
    title = t("crew.analysis.title")
    return Reply(
        _text(title, analysis.summary, sections, None),
        title=title,
        sections=tuple(sections),
    )


def copy_reply(variations: Sequence[CopyVariation], locale: Locale) -> Reply:
    t = locale.t
    blocks = [
        t(
            "crew.copy.line",
            n=i,
            headline=v.headline,
            hl=len(v.headline),
            primary=v.primary_text,
            pl=len(v.primary_text),
            description=v.description,
        ).rstrip()
        for i, v in enumerate(variations, start=1)
    ]
    title = t("crew.copy.title")
    context = t("crew.copy.context")
    text = f"*{title}*\n\n" + "\n\n".join(blocks) + f"\n\n_{context}_"
    return Reply(
        text,
        title=title,
        sections=tuple(
            (f"{i}. {v.headline}", "\n".join(x for x in (v.primary_text, v.description) if x))
            for i, v in enumerate(variations, start=1)
        ),
        context=context,
    )


def _text(title: str, intro: str, sections: Sequence[tuple[str, str]], outro: str | None) -> str:
    parts = [f"*{title}*", intro]
    for heading, body in sections:
        parts.append(f"*{heading}*\n{body}")
    if outro:
        parts.append(outro)
    return "\n\n".join(part for part in parts if part)


def model_basis_line(basis: dict[str, Any], locale: Locale, currency: str) -> str:
    """Where the plan's figures come from: the models, with their intervals."""
    if not basis:
        return locale.t("crew.plan.no_model")
    cpa, roas, conv = basis["cpa"], basis["roas"], basis["conversions"]
    return locale.t(
        "crew.plan.model_basis",
        days=basis["basis_days"],
        cpa_low=locale.money(Decimal(cpa["low"]), currency),
        cpa_high=locale.money(Decimal(cpa["high"]), currency),
        roas_low=locale.ratio(Decimal(roas["low"])),
        roas_high=locale.ratio(Decimal(roas["high"])),
        conv_low=locale.number(Decimal(conv["low"]), 0),
        conv_high=locale.number(Decimal(conv["high"]), 0),
    )
