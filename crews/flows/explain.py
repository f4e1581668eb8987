"""The night's plan in plain words: the Optimizer explains what the brain decided.

The models (``analytics.brain``) decide and give every figure; the agent only
explains, with no tools and the decisions passed as data (money formatted, ranges
included), so any number in its words is one it was handed. Called by the nightly optimization job when an LLM is
configured; its tokens are accounted like any crew run. Worker-only: imports CrewAI.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crews.agents import make_agent
from crews.kit import CrewKit
from crews.llm_cap import reached as daily_cap_reached
from crews.profile import Profile
from crews.prompts import as_data, load_prompts
from crews.usage import record_usage
from storage.models import Workspace
from storage.repositories import workspace_settings
from vocabulary.i18n import Locale

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

FLOW = "explain_optimization"
#: The decisions' fields the agent sees; money is formatted (never raw minor units).
FIELDS = (
    "kind",
    "reason",
    "name",
    "current_budget",
    "proposed_budget",
    "marginal_roas",
    "average_roas",
    "profit_change",
    "provisional_days",
)
MONEY = frozenset({"current_budget", "proposed_budget"})
RANGES = frozenset({"profit_change"})


def explain_findings(kit: CrewKit, *, findings: str) -> str:
    with kit.timed("explain"):
        agent = make_agent(kit, "optimizer")
        task = kit.task(agent, "explain_findings", None, values={"findings": findings})
        output = kit.run([agent], [task])
    return str(output.raw).strip()


def explain_optimization(
    rt: Runtime,
    *,
    workspace_id: int,
    findings: dict[str, Any],
    language: str,
) -> str:
    """A short explanation of ``findings`` (the nightly run's detail) in ``language``."""
    if daily_cap_reached(rt, workspace_id):  # the figures go out without the crew's words
        return ""
    with rt.db.session(workspace_id) as session:
        workspace = session.get(Workspace, workspace_id)
        assert workspace is not None
        profile = Profile.of(workspace, workspace_settings(session, workspace_id))
    locale = Locale(language, profile.timezone)
    currency = str(findings.get("currency") or profile.currency)

    def shown(key: str, value: Any) -> Any:
        if key in MONEY:
            return locale.money(Decimal(value), currency)
        if key in RANGES:
            return {k: locale.money(Decimal(v), currency) for k, v in value.items()}
        return value

    rows = [
        {key: shown(key, item[key]) for key in FIELDS if item.get(key) is not None}
        for item in findings.get("findings") or []
    ]
    plan = findings.get("plan") or {}
    data = {
        "gross_margin_pct": findings.get("margin"),
        "break_even_roas": plan.get("break_even"),
        "break_even_source": plan.get("break_even_source"),
        "decisions": rows,
    }
    prompts = load_prompts(profile.prompt_variant, profile.template_values(language))
    kit = CrewKit(rt.settings, profile, prompts, progress=None)  # type: ignore[arg-type]
    try:
        return explain_findings(
            kit, findings=as_data("findings", json.dumps(data, ensure_ascii=False, default=str))
        )
    finally:
        prompt, completion = kit.tokens()
        record_usage(
            rt,
            workspace_id=workspace_id,
            conversation_id=None,
            flow=FLOW,
            prompt_variant=prompts.name,
            model=rt.settings.llm_model or "",
            prompt_tokens=prompt,
            completion_tokens=completion,
        )
