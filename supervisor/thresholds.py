"""Every threshold of the guardrails, and how a workspace overrides them.

Defaults follow the product's rules; a workspace's budget columns and its
``WorkspaceSettings.policy`` JSON override them (see :meth:`PolicyConfig.from_workspace`).
:func:`workspace_policy` is the one way the supervisor reads a workspace's thresholds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from storage.models import WorkspaceSettings
from storage.money import major_to_whole_minor
from supervisor.proposals import ActionKind

logger = logging.getLogger(__name__)


AUTONOMY_LEVELS = ("manual", "assisted", "autopilot")


def _kinds(values: Iterable[str]) -> frozenset[ActionKind]:
    return frozenset(ActionKind(v) for v in values)


@dataclass(frozen=True)
class PolicyConfig:
    """Every threshold of the guardrails. Money in minor units of the workspace currency."""

    critical: frozenset[ActionKind] = frozenset(
        {ActionKind.PAUSE, ActionKind.DELETE, ActionKind.SET_BUDGET}
    )
    always_approve: frozenset[ActionKind] = frozenset({ActionKind.DELETE})
    high_ctr_pct: Decimal = Decimal("2.0")
    high_spend_7d: Decimal = Decimal(100000)  # R$ 1.000,00
    budget_change_approval_pct: Decimal = Decimal(20)
    budget_step_max_pct: Decimal = Decimal(100)
    max_daily_budget: Decimal | None = None
    monthly_budget_limit: Decimal | None = None
    max_automated_changes_per_day: int = 5
    recent_change_hours: int = 24
    automated_activation_needs_approval: bool = True
    fast_track_overspend_pause: bool = True
    expiry_hours: int = 24
    undo_hours: int = 24
    approver_daily_limit: Decimal | None = None  # when a membership has no approval_limit
    #: Who may act without a person: manual (nobody), assisted (protective changes), autopilot.
    autonomy: str = "manual"
    #: The brain's budget step (the learning phase restarts past ~20%).
    engine_step_pct: Decimal = Decimal(20)
    #: Resuming or activating something that spends at least this much a day is critical:
    #: always an approval card (R$ 500,00/day by default; None: never by itself).
    resume_approval_budget: Decimal | None = Decimal(50000)
    #: A cut under this share of the current budget is confirmed twice (likely a typo).
    budget_floor_pct: Decimal = Decimal(10)
    #: The smallest daily budget worth setting, minor units. Assumption: Meta's minimum for
    #: BRL/USD ad sets billed on impressions is about 1.00 a day (its Graph error 1885272
    #: names the account's own minimum); the sandbox refuses less than 100 minor units.
    min_daily_budget: Decimal = Decimal(100)

    #: Keys of ``WorkspaceSettings.policy`` and how to read them ("money" keys are major units).
    OVERRIDES = {
        "critical": "kinds",
        "always_approve": "kinds",
        "high_ctr_pct": "decimal",
        "high_spend_7d": "money",
        "budget_change_approval_pct": "decimal",
        "budget_step_max_pct": "decimal",
        "max_daily_budget": "money",
        "monthly_budget_limit": "money",
        "max_automated_changes_per_day": "int",
        "recent_change_hours": "int",
        "automated_activation_needs_approval": "bool",
        "fast_track_overspend_pause": "bool",
        "expiry_hours": "int",
        "undo_hours": "int",
        "approver_daily_limit": "money",
        "engine_step_pct": "decimal",
        "resume_approval_budget": "money",
        "budget_floor_pct": "decimal",
        "min_daily_budget": "money",
    }

    @property
    def expiry(self) -> timedelta:
        return timedelta(hours=self.expiry_hours)

    @property
    def undo_window(self) -> timedelta:
        return timedelta(hours=self.undo_hours)

    @classmethod
    def from_workspace(
        cls,
        *,
        policy: Mapping[str, Any] | None,
        currency: str,
        max_daily_budget: Decimal | None = None,
        monthly_budget_limit: Decimal | None = None,
        autonomy: str = "manual",
    ) -> PolicyConfig:
        """Defaults, then the workspace's budget columns, then its ``policy`` JSON overrides.

        Money in the JSON is in major units (``{"high_spend_7d": 2000}`` is R$ 2.000,00);
        an unreadable value is logged and ignored, so a typo never disables a guardrail.
        """
        config = cls(
            max_daily_budget=max_daily_budget,
            monthly_budget_limit=monthly_budget_limit,
            autonomy=autonomy if autonomy in AUTONOMY_LEVELS else "manual",
        )
        changes: dict[str, Any] = {}
        for key, raw in (policy or {}).items():
            kind = cls.OVERRIDES.get(key)
            if kind is None:
                logger.warning("policy: unknown setting %r ignored", key)
                continue
            try:
                changes[key] = _read(kind, raw, currency)
            except (ValueError, TypeError, InvalidOperation):
                logger.warning("policy: bad value for %r ignored", key)
        return replace(config, **changes)


def _read(kind: str, raw: Any, currency: str) -> Any:
    if raw is None:
        if kind in ("money",):
            return None
        raise ValueError("null")
    if kind == "kinds":
        return _kinds(raw)
    if kind == "decimal":
        return Decimal(str(raw))
    if kind == "money":
        return major_to_whole_minor(Decimal(str(raw)), currency)
    if kind == "int":
        return int(raw)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        raise ValueError(raw)
    raise ValueError(kind)


def workspace_policy(prefs: WorkspaceSettings) -> PolicyConfig:
    """The thresholds in force for one workspace (defaults, columns, then JSON overrides)."""
    return PolicyConfig.from_workspace(
        policy=prefs.policy,
        currency=prefs.currency,
        max_daily_budget=prefs.max_daily_budget,
        monthly_budget_limit=prefs.monthly_budget_limit,
        autonomy=prefs.autonomy or "manual",
    )
