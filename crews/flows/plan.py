"""Flow "plan a campaign": brief → creative ∥ copy → structure → forecast → (revise ≤ 2×) → plan.

The Strategist writes the brief; the Creative (format specialists plus a
director) and the Copywriter work on it in parallel; the Optimizer proposes the
structure, the budget split (as shares) and bidding; the Analyst forecasts and
lists risks. When the forecast misses the workspace's KPI targets the gap goes
to whoever can close it (:func:`route_feedback`): a CTR gap to the Creative and
the Copywriter, a CPA or ROAS gap to the Optimizer, and only a gap they already
had a round for (a strategy gap) to the Strategist; at most
``MAX_FEEDBACK_ROUNDS`` revisions. Budgets in the
final plan are computed by code from the user's total. Worker-only.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from typing import Any

from crewai.flow.flow import Flow, and_, listen, or_, router, start
from pydantic import BaseModel, Field

from analytics.brain.plan_forecast import AccountDay, NewCampaignForecast, forecast_new_campaign
from crews.agents import format_agent, make_agent
from crews.budget import KpiGap, daily_budget, kpi_gaps, normalized_shares, split
from crews.kit import CrewKit
from crews.models import (
    Brief,
    CampaignPlan,
    CopySet,
    CopyVariation,
    CreativeConcept,
    CreativeSet,
    Forecast,
    PlannedAdSet,
    Structure,
)
from crews.prompts import as_data
from crews.tools import overview_tools
from storage.money import minor_to_major
from vocabulary.i18n import Locale

logger = logging.getLogger(__name__)

MAX_FEEDBACK_ROUNDS = 2
COPY_VARIATIONS = 4
#: Below this daily amount per ad set (minor units) Meta's delivery barely learns.
MIN_ADSET_DAILY = 500


class PlanState(BaseModel):
    request: str = ""  # as a data block
    memory: str = ""
    learnings: str = ""
    raw_request: str = ""
    total_budget: int = 0  # minor units
    rounds: int = 0
    feedback: str = ""  # for the Strategist
    specialist_feedback: str = ""  # for the Creative and Copywriter, or the Optimizer
    routes: list[str] = Field(default_factory=list)  # who got each round's feedback
    brief: Brief | None = None
    creatives: list[CreativeConcept] = Field(default_factory=list)
    copies: list[CopyVariation] = Field(default_factory=list)
    structure: Structure | None = None
    forecast: Forecast | None = None
    #: The account's settled days for the models' forecast (set by the runner).
    account_days: list[dict[str, Any]] = Field(default_factory=list)
    gaps: list[dict[str, str]] = Field(default_factory=list)
    history: list[dict[str, Any]] = Field(default_factory=list)


class PlanFlow(Flow[PlanState]):
    _skip_auto_memory: bool = True  # no CrewAI memory store: our memory lives in the database

    def __init__(self, kit: CrewKit, *, max_feedback_rounds: int = MAX_FEEDBACK_ROUNDS) -> None:
        super().__init__(suppress_flow_events=True)
        self.kit = kit
        self.max_feedback_rounds = max_feedback_rounds

    # --- the steps ----------------------------------------------------------------------------

    @start("revise")
    def strategist(self) -> Brief:
        state, kit = self.state, self.kit
        state.rounds += 1
        with kit.timed(f"brief#{state.rounds}"):
            tools = overview_tools(kit.tools) if kit.tools else []
            agent = make_agent(kit, "strategist", tools)
            state.brief = kit.typed_step(
                agent,
                "brief",
                Brief,
                values={
                    "request": state.request,
                    "memory": state.memory,
                    "learnings": state.learnings,
                    "total_budget": kit.profile.money_en(state.total_budget),
                    "feedback": state.feedback,
                },
            )
        return state.brief

    @listen(or_(strategist, "revise_creative"))
    def creative(self) -> list[CreativeConcept]:
        state, kit = self.state, self.kit
        assert state.brief is not None
        with kit.timed(f"creative#{state.rounds}"):
            brief_json = _json(state.brief)
            formats = list(state.brief.formats)
            specialists, tasks = [], []
            for fmt in formats:
                agent = format_agent(kit, fmt)
                specialists.append(agent)
                tasks.append(
                    kit.task(
                        agent,
                        "creative_format",
                        CreativeSet,
                        values={
                            "format": fmt,
                            "brief": brief_json,
                            "feedback": self._for("creative"),
                        },
                        check=_only_format(fmt),
                        async_execution=len(formats) > 1,  # specialists work side by side
                    )
                )
            lead = make_agent(kit, "creative")
            tasks.append(
                kit.task(
                    lead,
                    "creative_lead",
                    CreativeSet,
                    values={
                        "brief": brief_json,
                        "formats": ", ".join(formats),
                        "feedback": self._for("creative"),
                    },
                    check=_within_formats(formats),
                    context=tasks,
                )
            )
            output = kit.run([*specialists, lead], tasks)
            state.creatives = list(kit.result(output, CreativeSet).concepts)
        return state.creatives

    @listen(or_(strategist, "revise_creative"))
    def copywriter(self) -> list[CopyVariation]:
        state, kit = self.state, self.kit
        assert state.brief is not None
        with kit.timed(f"copy#{state.rounds}"):
            agent = make_agent(kit, "copywriter")
            copies = kit.typed_step(
                agent,
                "copy",
                CopySet,
                values={
                    "brief": _json(state.brief),
                    "count": str(COPY_VARIATIONS),
                    "feedback": self._for("creative"),
                },
            )
            state.copies = list(copies.variations)
        return state.copies

    @listen(or_(and_(creative, copywriter), "revise_structure"))
    def optimizer(self) -> Structure:
        state, kit = self.state, self.kit
        assert state.brief is not None
        days = state.brief.duration_days
        with kit.timed(f"structure#{state.rounds}"):
            agent = make_agent(kit, "optimizer")
            state.structure = kit.typed_step(
                agent,
                "structure",
                Structure,
                values={
                    "brief": _json(state.brief),
                    "creatives": _json_list("creatives", state.creatives),
                    "copies": _json_list("copies", state.copies),
                    "daily_budget": kit.profile.money_en(daily_budget(state.total_budget, days)),
                    "duration": str(days),
                    "feedback": self._for("optimizer"),
                },
            )
        return state.structure

    @listen(optimizer)
    def analyst(self) -> Forecast:
        state, kit = self.state, self.kit
        assert state.brief is not None and state.structure is not None
        days = state.brief.duration_days
        model = forecast_new_campaign(
            [AccountDay(**d) for d in state.account_days],
            daily_budget(state.total_budget, days),
            days,
        )
        with kit.timed(f"forecast#{state.rounds}"):
            tools = overview_tools(kit.tools) if kit.tools else []
            agent = make_agent(kit, "analyst", tools)
            written = kit.typed_step(
                agent,
                "forecast",
                Forecast,
                values={
                    "brief": _json(state.brief),
                    "structure": _json(state.structure, "structure"),
                    "model_forecast": as_data(
                        "model_forecast", json.dumps(model.to_json() if model else None)
                    ),
                },
            )
        state.forecast = with_model_figures(written, model, kit.profile.currency)
        return state.forecast

    @router(analyst)
    def check_targets(self) -> str:
        state, kit = self.state, self.kit
        assert state.forecast is not None
        gaps = kpi_gaps(state.forecast, kit.profile.targets, kit.profile.currency)
        state.gaps = [_gap_dict(gap) for gap in gaps]
        state.history.append(
            {
                "round": state.rounds,
                "forecast": state.forecast.model_dump(mode="json"),
                "gaps": state.gaps,
            }
        )
        if gaps and state.rounds <= self.max_feedback_rounds:
            route = route_feedback(gaps, state.routes[-1] if state.routes else None)
            state.routes.append(route)
            if route == "strategist":
                state.feedback, state.specialist_feedback = self._feedback(gaps), ""
            else:
                state.specialist_feedback = self._feedback(gaps, to=route)
                state.rounds += 1  # the Strategist counts its own rounds
            kit.progress.line(
                kit.progress.t(
                    "crew.progress.revise",
                    round=len(state.history) + 1,
                    gaps=", ".join(self._gap_text(gap) for gap in gaps),
                ),
                force=True,
            )
            logger.info(
                "plan: round %s misses %s; revising (%s)",
                state.rounds,
                [g.metric for g in gaps],
                route,
            )
            return ROUTES[route]
        return "done"

    @listen("done")
    def finish(self) -> CampaignPlan:
        return self.build_plan()

    # --- helpers ------------------------------------------------------------------------------

    def _feedback(self, gaps: list[KpiGap], *, to: str = "strategist") -> str:
        assert self.state.forecast is not None
        risks = "; ".join(self.state.forecast.risks[:4]) or "none listed"
        lines = "; ".join(self._gap_text(gap, english=True) for gap in gaps)
        what = {
            "strategist": "Revise the brief (audience, offer, formats, duration)",
            "creative": "Revise the concepts and the copy (hook, visuals, headline, call to "
            "action) to earn more clicks",
            "optimizer": "Revise the structure, the budget split and the bidding",
        }[to]
        return (
            f"FEEDBACK from the Analyst (round {self.state.rounds}): the forecast misses the KPI "
            f"targets: {lines}. Risks noted: {risks}. {what} to close the gap; keep the total "
            "budget."
        )

    def _for(self, role: str) -> str:
        """This round's feedback for ``role`` ("creative" or "optimizer"), else nothing."""
        routes = self.state.routes
        return self.state.specialist_feedback if routes and routes[-1] == role else ""

    def _gap_text(self, gap: KpiGap, *, english: bool = False) -> str:
        profile = self.kit.profile
        loc = Locale("en", profile.timezone) if english else profile.locale
        if gap.metric == "cpa":
            return f"CPA {loc.money(gap.forecast, profile.currency)} > {loc.money(gap.target, profile.currency)}"
        if gap.metric == "ctr":
            return f"CTR {loc.percent(gap.forecast)} < {loc.percent(gap.target)}"
        return f"ROAS {loc.ratio(gap.forecast)} < {loc.ratio(gap.target)}"

    def build_plan(self) -> CampaignPlan:
        """The typed plan: agents' words, code's money."""
        state, kit = self.state, self.kit
        profile = kit.profile
        assert state.brief and state.structure and state.forecast
        days = state.brief.duration_days
        daily = daily_budget(state.total_budget, days)
        shares = normalized_shares([a.budget_share for a in state.structure.adsets])
        amounts = split(daily, shares)
        adsets = [
            PlannedAdSet(
                name=a.name,
                audience=a.audience,
                countries=a.countries,
                age_min=a.age_min,
                age_max=a.age_max,
                share=share,
                daily_budget=amount,
                optimization_goal=a.optimization_goal,
                formats=a.formats or list(state.brief.formats),
            )
            for a, share, amount in zip(state.structure.adsets, shares, amounts, strict=True)
        ]
        warnings: list[str] = []
        loc = profile.locale
        if profile.monthly_budget is not None and daily * min(days, 30) > profile.monthly_budget:
            warnings.append(
                loc.t(
                    "crew.plan.warn_monthly",
                    limit=loc.money(profile.monthly_budget, profile.currency),
                )
            )
        if profile.max_daily_budget is not None and daily > profile.max_daily_budget:
            warnings.append(
                loc.t(
                    "crew.plan.warn_daily",
                    limit=loc.money(profile.max_daily_budget, profile.currency),
                )
            )
        if any(amount < MIN_ADSET_DAILY for amount in amounts):
            warnings.append(loc.t("crew.plan.warn_small_adset"))
        return CampaignPlan(
            request=state.raw_request,
            currency=profile.currency,
            total_budget=state.total_budget,
            duration_days=days,
            daily_budget=daily,
            brief=state.brief,
            creatives=state.creatives,
            copies=state.copies,
            adsets=adsets,
            bid_strategy=state.structure.bid_strategy,
            forecast=state.forecast,
            kpi_gaps=[self._gap_text(g) for g in _gaps_of(state.gaps)],
            rounds=state.rounds,
            prompt_variant=kit.prompts.name,
            warnings=warnings,
        )


#: The flow's trigger for each role that can get the Analyst's feedback.
ROUTES = {"strategist": "revise", "creative": "revise_creative", "optimizer": "revise_structure"}


def route_feedback(gaps: list[KpiGap], previous: str | None) -> str:
    """Who gets a round's gaps: the CTR (the ads) to the Creative and the Copywriter, CPA and
    ROAS (structure, split, bidding) to the Optimizer; a gap that specialist already had the
    last round for and did not close is a strategy gap, for the Strategist. Pure."""
    metrics = {gap.metric for gap in gaps}
    specialist = "creative" if "ctr" in metrics else "optimizer"
    return "strategist" if previous == specialist else specialist


def _json(model: BaseModel, label: str = "brief") -> str:
    """Another agent's output for a prompt: derived from user text, so still marked as data."""
    return as_data(label, model.model_dump_json())


def _json_list(label: str, items: list[Any]) -> str:
    return as_data(label, json.dumps([i.model_dump() for i in items], ensure_ascii=False))


def _only_format(fmt: str) -> Any:
    def check(value: CreativeSet) -> str | None:
        wrong = [c.title for c in value.concepts if c.format != fmt]
        return f"Every concept must have format {fmt!r}; fix: {wrong}" if wrong else None

    return check


def _within_formats(formats: list[str]) -> Any:
    def check(value: CreativeSet) -> str | None:
        wrong = [c.title for c in value.concepts if c.format not in formats]
        return f"Keep only the brief's formats {formats}; these are not: {wrong}" if wrong else None

    return check


def _gap_dict(gap: KpiGap) -> dict[str, str]:
    return {"metric": gap.metric, "forecast": str(gap.forecast), "target": str(gap.target)}


def _gaps_of(rows: list[dict[str, str]]) -> list[KpiGap]:
    return [KpiGap(r["metric"], Decimal(r["forecast"]), Decimal(r["target"])) for r in rows]


def with_model_figures(
    written: Forecast, model: NewCampaignForecast | None, currency: str
) -> Forecast:
    """The Analyst's words with the models' numbers: an LLM's figure is never shown."""
    if model is None:
        return written.model_copy(
            update={"expected_ctr": None, "expected_cpa": None, "expected_roas": None, "basis": {}}
        )
    return written.model_copy(
        update={
            "expected_ctr": model.ctr.mean,
            "expected_cpa": minor_to_major(model.cpa.mean, currency),
            "expected_roas": model.roas.mean,
            "confidence": model.confidence,
            "basis": model.to_json(),
        }
    )
