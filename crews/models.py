"""What the agents hand each other and the chat: typed, validated, with Meta's limits.

Agents write these as JSON; a guardrail (:func:`crews.guardrails.typed`) rejects
anything that does not validate and makes the agent try again. Money the agents
mention is never trusted: budgets come from code (:mod:`crews.budget`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Meta's limits for ad text: headline, primary text (recommended) and link description.
HEADLINE_MAX = 40
PRIMARY_TEXT_MAX = 125
DESCRIPTION_MAX = 30

Format = Literal["video", "carousel", "stories", "ugc", "image"]
Objective = Literal[
    "OUTCOME_SALES",
    "OUTCOME_LEADS",
    "OUTCOME_TRAFFIC",
    "OUTCOME_AWARENESS",
    "OUTCOME_ENGAGEMENT",
    "OUTCOME_APP_PROMOTION",
]
OptimizationGoal = Literal[
    "OFFSITE_CONVERSIONS",
    "LINK_CLICKS",
    "LANDING_PAGE_VIEWS",
    "REACH",
    "IMPRESSIONS",
    "LEAD_GENERATION",
    "THRUPLAY",
]
BidStrategy = Literal["LOWEST_COST_WITHOUT_CAP", "COST_CAP", "LOWEST_COST_WITH_BID_CAP"]
CallToAction = Literal[
    "SHOP_NOW", "LEARN_MORE", "SIGN_UP", "BUY_NOW", "GET_OFFER", "ORDER_NOW", "CONTACT_US"
]
Confidence = Literal["low", "medium", "high"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Brief(_Model):
    """The Strategist's brief: what the campaign is for, for whom, in which formats."""

    campaign_name: str = Field(min_length=1, max_length=100)
    objective: Objective = "OUTCOME_SALES"
    audience: str = Field(min_length=1, max_length=600)
    key_message: str = Field(min_length=1, max_length=600)
    offer: str = Field(default="", max_length=300)
    formats: list[Format] = Field(min_length=1, max_length=4)
    duration_days: int = Field(ge=1, le=90)
    kpi_focus: str = Field(default="", max_length=200)
    rationale: str = Field(default="", max_length=1500)

    @field_validator("formats")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class CreativeConcept(_Model):
    format: Format
    title: str = Field(min_length=1, max_length=80)
    concept: str = Field(min_length=1, max_length=800)
    hook: str = Field(default="", max_length=200)
    visual_direction: str = Field(default="", max_length=600)
    call_to_action: CallToAction = "SHOP_NOW"


class CreativeSet(_Model):
    concepts: list[CreativeConcept] = Field(min_length=1, max_length=8)


class CopyVariation(_Model):
    """One ad text within Meta's limits (counted in characters as the reader sees them)."""

    headline: str = Field(min_length=1, max_length=HEADLINE_MAX)
    primary_text: str = Field(min_length=1, max_length=PRIMARY_TEXT_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    angle: str = Field(default="", max_length=80)


class CopySet(_Model):
    variations: list[CopyVariation] = Field(min_length=1, max_length=10)


class AdSetPlan(_Model):
    """One ad set of the Optimizer's structure; its money is a share, turned into centavos by code."""

    name: str = Field(min_length=1, max_length=100)
    audience: str = Field(min_length=1, max_length=600)
    countries: list[str] = Field(default_factory=lambda: ["BR"], min_length=1, max_length=10)
    age_min: int = Field(default=18, ge=18, le=65)
    age_max: int = Field(default=65, ge=18, le=65)
    budget_share: Decimal = Field(gt=0, le=100, description="percent of the daily budget")
    optimization_goal: OptimizationGoal = "OFFSITE_CONVERSIONS"
    formats: list[Format] = Field(default_factory=list, max_length=5)

    @field_validator("countries")
    @classmethod
    def _iso(cls, value: list[str]) -> list[str]:
        codes = [code.strip().upper() for code in value]
        if any(len(code) != 2 or not code.isalpha() for code in codes):
            raise ValueError("countries are ISO 3166 alpha-2 codes such as BR")
        return codes

    @model_validator(mode="after")
    def _ages(self) -> AdSetPlan:
        if self.age_max < self.age_min:
            raise ValueError("age_max is below age_min")
        return self


class Structure(_Model):
    """The Optimizer's structure, budget split and bidding."""

    adsets: list[AdSetPlan] = Field(min_length=1, max_length=6)
    bid_strategy: BidStrategy = "LOWEST_COST_WITHOUT_CAP"
    rationale: str = Field(default="", max_length=1500)


class Forecast(_Model):
    """The Analyst's forecast; compared with the workspace's KPI targets by code."""

    expected_ctr: Decimal | None = Field(default=None, ge=0, le=100, description="percent")
    expected_cpa: Decimal | None = Field(default=None, ge=0, description="major units")
    expected_roas: Decimal | None = Field(default=None, ge=0, le=1000)
    confidence: Confidence = "medium"
    risks: list[str] = Field(default_factory=list, max_length=8)
    notes: str = Field(default="", max_length=1500)
    #: The models' forecast behind the figures (intervals, days of history); set by code.
    basis: dict[str, Any] = Field(default_factory=dict)


class Analysis(_Model):
    """The Analyst's reading of real numbers, in plain words."""

    summary: str = Field(min_length=1, max_length=2000)
    findings: list[str] = Field(default_factory=list, max_length=8)
    learnings: list[str] = Field(default_factory=list, max_length=5)


class Recommendations(_Model):
    """The Optimizer's answer after proposing (through the tool) what should change."""

    summary: str = Field(min_length=1, max_length=2000)
    actions: list[str] = Field(default_factory=list, max_length=8)


class PlannedAdSet(_Model):
    name: str
    audience: str
    countries: list[str]
    age_min: int
    age_max: int
    share: Decimal  # percent, normalized so the shares add up to 100
    daily_budget: int  # minor units, computed by code
    optimization_goal: OptimizationGoal
    formats: list[Format]


class CampaignPlan(_Model):
    """The typed plan shown in the chat and turned into paused drafts on request."""

    request: str
    currency: str
    total_budget: int  # minor units, as the user said it
    duration_days: int
    daily_budget: int  # minor units: total / days, split across the ad sets
    brief: Brief
    creatives: list[CreativeConcept]
    copies: list[CopyVariation]
    adsets: list[PlannedAdSet]
    bid_strategy: BidStrategy
    forecast: Forecast
    kpi_gaps: list[str] = Field(default_factory=list)
    rounds: int = 1
    prompt_variant: str = "default"
    warnings: list[str] = Field(default_factory=list)
