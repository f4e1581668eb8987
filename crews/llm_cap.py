"""The daily LLM budget per workspace: tokens (and estimated US$) the crew may spend today.

Counted from what the LLM really reported (``llm_usage``, written by every crew run,
explanation and summary), from midnight in the workspace's timezone. A workspace's
own cap (``limite de uso do LLM 200000 tokens``) wins over the install's default
(``MEDIABRAIN_LLM_DAILY_TOKENS``); no cap at all means no limit. Checked before a
run is queued and again when the worker starts it; the background work (the night's
explanation, conversation summaries) simply skips the LLM once it is reached.
Nothing here imports CrewAI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.clock import utcnow
from storage.models import LlmUsage, WorkspaceSettings
from vocabulary.i18n import Locale, register
from vocabulary.settings import Settings

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

MESSAGES: dict[str, dict[str, str]] = {
    "llm_cap.reached": {
        "pt-BR": (
            "O limite diário de uso do LLM deste workspace foi atingido ({used} de {limit}). "
            "Os pedidos ao time de IA voltam à meia-noite; comandos como *relatório* e "
            "*campanhas* continuam funcionando. Um administrador pode mudar o limite com "
            "*limite de uso do LLM 200000 tokens*."
        ),
        "en": (
            "This workspace's daily LLM usage limit has been reached ({used} of {limit}). "
            "Requests to the AI crew resume at midnight; commands such as *report* and "
            "*campaigns* keep working. An admin can change the limit with "
            "*LLM usage limit 200000 tokens*."
        ),
    },
    "llm_cap.tokens": {"pt-BR": "{n} tokens", "en": "{n} tokens"},
    "llm_cap.today": {
        "pt-BR": "Hoje: {used} de {limit} (limite diário).",
        "en": "Today: {used} of {limit} (daily limit).",
    },
    "llm_cap.none": {
        "pt-BR": "Sem limite diário de uso do LLM (*limite de uso do LLM 200000 tokens* define um).",
        "en": "No daily LLM usage limit (*LLM usage limit 200000 tokens* sets one).",
    },
}
register(MESSAGES)


@dataclass(frozen=True)
class DailyCap:
    """The caps in force; None where there is none."""

    tokens: int | None = None
    cost_usd: Decimal | None = None

    @property
    def any(self) -> bool:
        return self.tokens is not None or self.cost_usd is not None


@dataclass(frozen=True)
class DayUsage:
    tokens: int = 0
    cost_usd: Decimal = Decimal(0)


def cap_of(prefs: WorkspaceSettings, settings: Settings) -> DailyCap:
    """The workspace's own caps, else the install's default token cap."""
    tokens = prefs.llm_daily_tokens if prefs.llm_daily_tokens is not None else None
    if tokens is None:
        tokens = settings.llm_daily_tokens
    cost = Decimal(prefs.llm_daily_cost_usd) if prefs.llm_daily_cost_usd is not None else None
    return DailyCap(tokens=tokens, cost_usd=cost)


def exceeded(cap: DailyCap, used: DayUsage) -> bool:
    """Whether today's usage has reached a cap (a run that starts below it may finish above)."""
    if cap.tokens is not None and used.tokens >= cap.tokens:
        return True
    return cap.cost_usd is not None and used.cost_usd >= cap.cost_usd


def day_start(now: datetime, timezone: str) -> datetime:
    """Midnight of ``now``'s day in the workspace's timezone (aware)."""
    local = now.astimezone(ZoneInfo(timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def used_since(session: Session, workspace_id: int, since: datetime) -> DayUsage:
    tokens, cost = session.execute(
        select(
            func.coalesce(func.sum(LlmUsage.prompt_tokens + LlmUsage.completion_tokens), 0),
            func.coalesce(func.sum(LlmUsage.cost_usd), 0),
        ).where(LlmUsage.workspace_id == workspace_id, LlmUsage.created_at >= since)
    ).one()
    return DayUsage(int(tokens), Decimal(cost))


def check(
    session: Session, prefs: WorkspaceSettings, settings: Settings, now: datetime
) -> tuple[DailyCap, DayUsage]:
    """The caps in force and today's usage (zero, unread, when there is no cap)."""
    cap = cap_of(prefs, settings)
    if not cap.any:
        return cap, DayUsage()
    return cap, used_since(session, prefs.workspace_id, day_start(now, prefs.timezone))


def reached(rt: Runtime, workspace_id: int) -> bool:
    """Whether the workspace's budget is spent today (background LLM work then stays off)."""
    with rt.db.session(workspace_id) as session:
        prefs = session.scalar(
            select(WorkspaceSettings).where(WorkspaceSettings.workspace_id == workspace_id)
        )
        if prefs is None:
            return False
        cap, used = check(session, prefs, rt.settings, utcnow())
    return exceeded(cap, used)


def describe(cap: DailyCap, used: DayUsage, locale: Locale) -> tuple[str, str]:
    """(used, limit) in the reader's words, in the unit of the cap that binds."""
    if cap.tokens is not None and (cap.cost_usd is None or used.tokens >= cap.tokens):
        return (
            locale.t("llm_cap.tokens", n=locale.number(used.tokens)),
            locale.t("llm_cap.tokens", n=locale.number(cap.tokens)),
        )
    limit = cap.cost_usd or Decimal(0)
    return "US$ " + locale.number(used.cost_usd, 2), "US$ " + locale.number(limit, 2)


def reached_message(cap: DailyCap, used: DayUsage, locale: Locale) -> str:
    shown_used, shown_limit = describe(cap, used, locale)
    return locale.t("llm_cap.reached", used=shown_used, limit=shown_limit)


def today_line(cap: DailyCap, used: DayUsage, locale: Locale) -> str:
    """One line for the "uso" command."""
    if not cap.any:
        return locale.t("llm_cap.none")
    shown_used, shown_limit = describe(cap, used, locale)
    return locale.t("llm_cap.today", used=shown_used, limit=shown_limit)
