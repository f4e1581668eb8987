"""What the crew knows about a workspace: its settings and profile, as template values.

Built from ``WorkspaceSettings`` (budgets, KPI targets, language, prompt variant)
and its ``profile`` JSON (industry, objective, audience, tone, brand, website,
formats). Detached from the session, so a flow can use it from any thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from crews.budget import Targets
from crews.prompts import as_data
from storage.models import Workspace, WorkspaceSettings
from vocabulary.i18n import Locale

LANGUAGE_NAMES = {"pt-BR": "Brazilian Portuguese (pt-BR)", "en": "English"}
DEFAULT_TONE = {"pt-BR": "próximo, claro e confiante", "en": "warm, clear and confident"}


@dataclass(frozen=True)
class AccountRef:
    """The ad account a run works on (detached from any session)."""

    pk: int
    external_id: str
    name: str
    currency: str
    timezone: str


@dataclass(frozen=True)
class Profile:
    workspace_id: int
    name: str
    language: str
    currency: str
    timezone: str
    prompt_variant: str
    industry: str = ""
    objective: str = ""
    audience: str = ""
    tone: str = ""
    brand: str = ""
    website: str = ""
    formats: tuple[str, ...] = ()
    monthly_budget: Decimal | None = None  # minor units
    max_daily_budget: Decimal | None = None
    targets: Targets = field(default_factory=Targets)

    @classmethod
    def of(cls, workspace: Workspace, prefs: WorkspaceSettings) -> Profile:
        data: dict[str, Any] = dict(prefs.profile or {})
        formats = data.get("formats") or ()
        return cls(
            workspace_id=workspace.id,
            name=workspace.name,
            language=prefs.language,
            currency=prefs.currency,
            timezone=prefs.timezone,
            prompt_variant=prefs.prompt_variant or "default",
            industry=str(data.get("industry", "")),
            objective=str(data.get("objective", "")),
            audience=str(data.get("audience", "")),
            tone=str(data.get("tone", "")),
            brand=str(data.get("brand", "") or workspace.name),
            website=str(data.get("website", "")),
            formats=tuple(str(f) for f in formats) if isinstance(formats, list) else (),
            monthly_budget=prefs.monthly_budget_limit,
            max_daily_budget=prefs.max_daily_budget,
            targets=Targets(
                ctr=prefs.target_ctr,
                cpc=prefs.target_cpc,
                cpa=prefs.target_cpa,
                roas=prefs.target_roas,
            ),
        )

    @property
    def locale(self) -> Locale:
        return Locale(language=self.language, timezone=self.timezone)

    def kpi_text(self) -> str:
        loc = Locale("en", self.timezone)  # prompts are written in English
        parts = []
        if self.targets.roas is not None:
            parts.append(f"ROAS >= {loc.ratio(self.targets.roas)}")
        if self.targets.cpa is not None:
            parts.append(f"CPA <= {loc.money(self.targets.cpa, self.currency)}")
        if self.targets.ctr is not None:
            parts.append(f"CTR >= {loc.percent(self.targets.ctr)}")
        if self.targets.cpc is not None:
            parts.append(f"CPC <= {loc.money(self.targets.cpc, self.currency)}")
        return ", ".join(parts) or "none set"

    def template_values(self, reader_language: str | None = None) -> dict[str, str]:
        """Values for the prompt templates: explanations in the reader's language, ads in the
        workspace's. Profile text is admin-written, so it goes in as it is."""
        loc = Locale("en", self.timezone)
        reader = reader_language or self.language
        return {
            "language": LANGUAGE_NAMES.get(reader, reader),
            "ad_language": LANGUAGE_NAMES.get(self.language, self.language),
            "tone": self.tone or DEFAULT_TONE.get(self.language, DEFAULT_TONE["en"]),
            "industry": self.industry or "retail",
            "objective": self.objective or "sales",
            "audience": self.audience or "to be defined from the request",
            "brand": self.brand or self.name,
            "currency": self.currency,
            "monthly_budget": loc.money(self.monthly_budget, self.currency)
            if self.monthly_budget is not None
            else "not set",
            "kpi_targets": self.kpi_text(),
        }

    def money_en(self, minor: int | Decimal) -> str:
        return Locale("en", self.timezone).money(Decimal(minor), self.currency)


def memory_block(text: str) -> str:
    return as_data("conversation", text) if text.strip() else "(no earlier conversation)"
