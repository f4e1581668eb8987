"""The guardrails as pure functions of plain data: a proposal and its context in, a verdict out.

No I/O here: :mod:`supervisor.context` fetches the figures, this module only
judges them, so every rule is tested with plain values. The verdict is
``allow`` (run at once), ``approval`` (a human with authority must approve;
the warnings say why, with the figures behind them) or ``deny`` (never runs;
the reasons say why). The thresholds live in :mod:`supervisor.thresholds`, the
reasons' shape in :mod:`supervisor.reasons`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, TypeGuard, get_args

from storage.models import Role
from supervisor.proposals import ActionKind, ActionProposal, money
from supervisor.reasons import Figure, PolicyWarning
from supervisor.thresholds import PolicyConfig

Verdict = Literal["allow", "approval", "deny"]


def _is_verdict(value: str) -> TypeGuard[Verdict]:
    return value in get_args(Verdict)


def stored_verdict(value: str) -> Verdict:
    """A verdict read back from a ``proposals`` row; an unknown one fails loudly."""
    if _is_verdict(value):
        return value
    raise ValueError(f"unknown verdict {value!r}")


HUNDRED = Decimal(100)


# --- context ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetState:
    """The target as the platform reports it now (not as the proposer saw it)."""

    found: bool = True
    status: str | None = None
    daily_budget: Decimal | None = None
    created_by_agent: bool = False

    def snapshot(self) -> dict[str, Any]:
        budget = None if self.daily_budget is None else str(int(self.daily_budget))
        return {"status": self.status, "daily_budget": budget}


@dataclass(frozen=True)
class RecentChange:
    at: datetime
    kind: str
    actor: str


@dataclass(frozen=True)
class PolicyContext:
    """Fresh figures about the target and its account, fetched just before judging."""

    now: datetime
    currency: str = "BRL"
    token_ok: bool = True
    target: TargetState = field(default_factory=TargetState)
    spend_7d: Decimal = Decimal(0)  # the target's, minor units
    impressions_7d: int = 0
    clicks_7d: int = 0
    active_campaigns: int = 0
    target_is_active_campaign: bool = False
    month_spend: Decimal = Decimal(0)  # the account's, month to date
    #: Every account of the workspace, month to date, when it has others (the monthly limit
    #: covers them all); None: this account is the workspace's spend.
    workspace_month_spend: Decimal | None = None
    account_spend_7d: Decimal = Decimal(0)  # the account's, for the daily run rate
    days_left_in_month: int = 0  # whole days after today
    recent_changes: tuple[RecentChange, ...] = ()
    automated_changes_today: int = 0

    @property
    def ctr_7d(self) -> Decimal | None:
        if not self.impressions_7d:
            return None
        return Decimal(self.clicks_7d) * HUNDRED / Decimal(self.impressions_7d)

    @property
    def workspace_month(self) -> Decimal:
        """What the workspace's monthly limit is measured against: every account's month."""
        if self.workspace_month_spend is None:
            return self.month_spend
        return self.workspace_month_spend

    @property
    def daily_rate(self) -> Decimal:
        return self.account_spend_7d / 7

    def projected_month(self, delta_daily: Decimal = Decimal(0)) -> Decimal:
        """Month-end spend if today's run rate (plus ``delta_daily``) holds for the rest."""
        rate = max(Decimal(0), self.daily_rate + delta_daily)
        return (self.month_spend + rate * self.days_left_in_month).quantize(Decimal(1))


# --- the verdict --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    verdict: Verdict
    warnings: tuple[PolicyWarning, ...] = ()  # why approval is needed (and notes)
    denials: tuple[PolicyWarning, ...] = ()  # why it is denied
    fast_track: bool = False
    amount: Decimal = Decimal(0)  # daily money at stake, for spending authority

    @property
    def reasons(self) -> tuple[PolicyWarning, ...]:
        """Denials first, then warnings: everything to show next to the verdict."""
        return self.denials + self.warnings


def amount_at_stake(proposal: ActionProposal, ctx: PolicyContext) -> Decimal:
    """The daily money an approval commits: a new budget, or the budget a resume turns on."""
    kind = ActionKind(proposal.kind)
    if kind is ActionKind.SET_BUDGET:
        return proposal.new_budget or Decimal(0)
    if kind in (ActionKind.RESUME, ActionKind.ACTIVATE):
        return unlocked_daily(ctx)
    if kind is ActionKind.CREATE_DRAFT:
        return sum(draft_budgets(proposal.new_value), Decimal(0))
    return Decimal(0)


def unlocked_daily(ctx: PolicyContext) -> Decimal:
    """The daily spend a resume or activation turns back on: the target's own daily budget,
    else (budgets on its ad sets) its average daily spend of the last 7 days."""
    if ctx.target.daily_budget is not None:
        return ctx.target.daily_budget
    return (ctx.spend_7d / 7).quantize(Decimal(1))


#: The least role that may ask for a change to an ad account (typing it, pressing Undo, or
#: starting the crew run whose agent proposed it): a run is capped at its requester's rights.
PROPOSER_ROLE = Role.OPERATOR


def draft_budgets(spec: Mapping[str, Any]) -> list[Decimal]:
    """Every daily budget in a draft spec (campaign and ad sets), minor units."""
    budgets = [money((spec.get("campaign") or {}).get("daily_budget"))]
    budgets += [money(adset.get("daily_budget")) for adset in spec.get("adsets") or ()]
    return [b for b in budgets if b is not None]


def evaluate(
    proposal: ActionProposal,
    ctx: PolicyContext,
    config: PolicyConfig,
    *,
    requester: Role | None = None,
) -> Evaluation:
    """Judge one proposal against fresh context: allow, approval (with warnings) or deny.

    ``requester`` is the role, now, of the person the proposal was made for (who typed
    it, or who started the crew run whose agent proposed it): below an operator, denied.
    """
    kind = ActionKind(proposal.kind)
    denials = _denials(proposal, kind, ctx, config)
    if requester is not None and not requester.at_least(PROPOSER_ROLE):
        denials.insert(0, PolicyWarning("supervisor.deny.requester_role", (), "deny"))
    amount = amount_at_stake(proposal, ctx)
    if denials:
        return Evaluation("deny", (), tuple(denials), amount=amount)
    warnings = _warnings(proposal, kind, ctx, config)
    if proposal.proposer.automated and not autonomous(proposal, config):
        # Agents and schedules act alone only as far as the workspace's autonomy allows.
        hold = PolicyWarning(f"supervisor.warn.autonomy_{config.autonomy}", (), severity="info")
        return Evaluation("approval", (hold, *warnings), amount=amount)
    if not warnings:
        return Evaluation("allow", (), amount=amount)
    if _fast_track(kind, ctx, config):
        note = PolicyWarning(
            "supervisor.warn.fast_track",
            (
                Figure("month_spend", ctx.workspace_month, "money"),
                Figure("limit", config.monthly_budget_limit, "money"),
            ),
            severity="info",
        )
        return Evaluation("allow", (note, *warnings), fast_track=True, amount=amount)
    return Evaluation("approval", tuple(warnings), amount=amount)


def autonomous(proposal: ActionProposal, config: PolicyConfig) -> bool:
    """Whether an agent's or a schedule's in-policy proposal may run without a person.

    ``manual`` (the default): never. ``assisted``: only protective changes (the brain marks
    pauses of clear losers and cuts that land the month on its limit). ``autopilot``: yes.
    """
    if config.autonomy == "autopilot":
        return True
    if config.autonomy == "assisted":
        return bool(proposal.extra.get("protective"))
    return False


def _denials(
    proposal: ActionProposal, kind: ActionKind, ctx: PolicyContext, config: PolicyConfig
) -> list[PolicyWarning]:
    out: list[PolicyWarning] = []

    def deny(key: str, *figures: Figure, **params: str) -> None:
        out.append(PolicyWarning(key, figures, "deny", params))

    if not ctx.token_ok:
        deny("supervisor.deny.token_invalid")
        return out
    if kind is not ActionKind.CREATE_DRAFT and not ctx.target.found:
        deny("supervisor.deny.not_found")
        return out
    if proposal.proposer.automated and (
        ctx.automated_changes_today >= config.max_automated_changes_per_day
    ):
        deny(
            "supervisor.deny.too_many_automated",
            Figure("count", ctx.automated_changes_today, "count"),
            Figure("max", config.max_automated_changes_per_day, "count"),
        )
    if restoration(proposal) is not None and _changed_since(proposal, ctx):
        if kind is ActionKind.SET_BUDGET:
            deny(
                "supervisor.deny.changed_since",
                Figure("now", ctx.target.daily_budget, "money"),
            )
        else:
            deny("supervisor.deny.changed_since_status", status=str(ctx.target.status))
        return out
    if kind is ActionKind.SET_BUDGET:
        out += _budget_denials(proposal, ctx, config)
    elif kind is ActionKind.CREATE_DRAFT:
        for budget in draft_budgets(proposal.new_value):
            if config.max_daily_budget is not None and budget > config.max_daily_budget:
                deny(
                    "supervisor.deny.above_max",
                    Figure("new", budget, "money"),
                    Figure("max", config.max_daily_budget, "money"),
                )
                break
    else:
        wanted = proposal.new_value.get("status")
        if wanted is not None and ctx.target.status == wanted:
            deny("supervisor.deny.noop", status=str(wanted).lower())
        if ctx.target.status == "DELETED":
            deny("supervisor.deny.deleted")
        unlocked = unlocked_daily(ctx)
        if (
            kind in (ActionKind.RESUME, ActionKind.ACTIVATE)
            and config.max_daily_budget is not None
            and unlocked > config.max_daily_budget
        ):
            deny(
                "supervisor.deny.resume_above_max",
                Figure("budget", unlocked, "money"),
                Figure("max", config.max_daily_budget, "money"),
            )
    return out


def _budget_denials(
    proposal: ActionProposal, ctx: PolicyContext, config: PolicyConfig
) -> list[PolicyWarning]:
    out: list[PolicyWarning] = []
    new = proposal.new_budget
    current = ctx.target.daily_budget
    if new is None or new <= 0:
        return [PolicyWarning("supervisor.deny.bad_budget", severity="deny")]
    if current is None:
        return [PolicyWarning("supervisor.deny.no_budget", severity="deny")]
    if new == current:
        return [
            PolicyWarning("supervisor.deny.same_budget", (Figure("new", new, "money"),), "deny")
        ]
    if config.max_daily_budget is not None and new > config.max_daily_budget:
        out.append(
            PolicyWarning(
                "supervisor.deny.above_max",
                (Figure("new", new, "money"), Figure("max", config.max_daily_budget, "money")),
                "deny",
            )
        )
    step_limit = current * (1 + config.budget_step_max_pct / HUNDRED)
    if new > step_limit and restoration(proposal) is None:  # an undo puts back what was
        out.append(
            PolicyWarning(
                "supervisor.deny.step_too_big",
                (
                    Figure("change", _change(current, new), "change"),
                    Figure("max_step", config.budget_step_max_pct, "percent"),
                    Figure("current", current, "money"),
                    Figure("new", new, "money"),
                ),
                "deny",
            )
        )
    return out


def restoration(proposal: ActionProposal) -> dict[str, Any] | None:
    """For an undo, the values the target must still have (what the undone change set).

    An undo is judged as a restoration: putting back the previous value is no new step
    (the +100% rule does not apply), but only while nothing else changed the target.
    """
    expected = proposal.extra.get("restores")
    return dict(expected) if isinstance(expected, Mapping) else None


def _changed_since(proposal: ActionProposal, ctx: PolicyContext) -> bool:
    expected = restoration(proposal) or {}
    if "daily_budget" in expected and money(expected["daily_budget"]) != ctx.target.daily_budget:
        return True
    return "status" in expected and expected["status"] != ctx.target.status


def below_floor(new: Decimal, current: Decimal | None, config: PolicyConfig) -> bool:
    """A cut to under ``budget_floor_pct`` of the current budget, or under the platform's
    minimum: more often a typo ("1,5" for "150") than a wish, so it is confirmed twice."""
    if new < config.min_daily_budget:
        return True
    return (
        current is not None and new < current and new * HUNDRED < current * config.budget_floor_pct
    )


def _change(current: Decimal, new: Decimal) -> Decimal | None:
    if not current:
        return None
    return (new - current) * HUNDRED / current


def _warnings(
    proposal: ActionProposal, kind: ActionKind, ctx: PolicyContext, config: PolicyConfig
) -> list[PolicyWarning]:
    out: list[PolicyWarning] = []

    def warn(key: str, *figures: Figure, **params: str) -> None:
        out.append(PolicyWarning(key, figures, "approval", params))

    if kind in config.always_approve:
        warn("supervisor.warn.always", kind=kind.value)
    if kind in (ActionKind.RESUME, ActionKind.ACTIVATE):
        if ctx.target.created_by_agent:
            warn("supervisor.warn.agent_created")
        elif proposal.proposer.automated and config.automated_activation_needs_approval:
            warn("supervisor.warn.automated_activation")
        threshold = config.resume_approval_budget
        if threshold is not None and unlocked_daily(ctx) >= threshold:
            warn(
                "supervisor.warn.resume_budget",
                Figure("budget", unlocked_daily(ctx), "money"),
                Figure("threshold", threshold, "money"),
            )
    budget_cut = kind is ActionKind.SET_BUDGET and (proposal.new_budget or 0) < (
        ctx.target.daily_budget or 0
    )
    if kind in config.critical:
        ctr = ctx.ctr_7d
        stops_delivery = kind in (ActionKind.PAUSE, ActionKind.DELETE) or budget_cut
        if stops_delivery and ctr is not None and ctr > config.high_ctr_pct:
            warn(
                "supervisor.warn.high_ctr",
                Figure("ctr", ctr, "percent"),
                Figure("threshold", config.high_ctr_pct, "percent"),
            )
        if ctx.spend_7d > config.high_spend_7d:
            warn(
                "supervisor.warn.high_spend",
                Figure("spend", ctx.spend_7d, "money"),
                Figure("threshold", config.high_spend_7d, "money"),
            )
        if (
            kind in (ActionKind.PAUSE, ActionKind.DELETE)
            and ctx.target_is_active_campaign
            and ctx.active_campaigns <= 1
        ):
            warn("supervisor.warn.last_active")
        if kind is ActionKind.SET_BUDGET:
            current, new = ctx.target.daily_budget, proposal.new_budget
            if (
                new is not None
                and restoration(proposal) is None
                and below_floor(new, current, config)
            ):
                warn(
                    "supervisor.warn.below_floor",
                    Figure("new", new, "money"),
                    Figure("current", current or Decimal(0), "money"),
                    Figure("floor", config.budget_floor_pct, "count"),
                    Figure("minimum", config.min_daily_budget, "money"),
                )
            change = _change(current, new) if current and new is not None else None
            if change is not None and abs(change) > config.budget_change_approval_pct:
                warn(
                    "supervisor.warn.learning_phase",
                    Figure("change", change, "change"),
                    Figure("threshold", config.budget_change_approval_pct, "percent"),
                    Figure("current", current, "money"),
                    Figure("new", new, "money"),
                )
        recent = _recent(ctx, config)
        if recent:
            warn(
                "supervisor.warn.recent_change",
                Figure("count", len(recent), "count"),
                Figure("last", max(c.at for c in recent), "datetime"),
                Figure("hours", config.recent_change_hours, "count"),
            )
    delta = spend_delta(proposal, kind, ctx)
    limit = config.monthly_budget_limit
    if limit is not None and delta > 0:
        projected = ctx.projected_month(delta)
        if projected > limit:
            warn(
                "supervisor.warn.month_projection",
                Figure("projected", projected, "money"),
                Figure("limit", limit, "money"),
                Figure("month_spend", ctx.month_spend, "money"),
            )
    return out


def _recent(ctx: PolicyContext, config: PolicyConfig) -> list[RecentChange]:
    since = ctx.now - timedelta(hours=config.recent_change_hours)
    return [c for c in ctx.recent_changes if c.at >= since]


def spend_delta(proposal: ActionProposal, kind: ActionKind, ctx: PolicyContext) -> Decimal:
    """How much more per day the account would spend after the change (negative: less)."""
    if kind is ActionKind.SET_BUDGET:
        if proposal.new_budget is None or ctx.target.daily_budget is None:
            return Decimal(0)
        if ctx.target.status not in (None, "ACTIVE"):
            return Decimal(0)
        return proposal.new_budget - ctx.target.daily_budget
    if kind in (ActionKind.RESUME, ActionKind.ACTIVATE):
        return ctx.target.daily_budget or ctx.spend_7d / 7
    if kind in (ActionKind.PAUSE, ActionKind.DELETE):
        return -(ctx.spend_7d / 7)
    return Decimal(0)


def _fast_track(kind: ActionKind, ctx: PolicyContext, config: PolicyConfig) -> bool:
    """A pause that stops spend beyond the monthly limit may run at once (still audited)."""
    limit = config.monthly_budget_limit
    return (
        config.fast_track_overspend_pause
        and kind is ActionKind.PAUSE
        and kind not in config.always_approve
        and limit is not None
        and ctx.workspace_month >= limit
        and ctx.target.status == "ACTIVE"
    )


# --- spending authority ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Authority:
    """Whether one person may decide one proposal, and if not, why (with figures)."""

    allowed: bool
    refusal: PolicyWarning | None = None


def check_authority(
    role: Role,
    *,
    approve: bool,
    amount: Decimal,
    approval_limit: Decimal | None,
    approved_today: Decimal,
    config: PolicyConfig,
) -> Authority:
    """Approvers and admins decide; an approver approves up to their limit per day, then an
    admin must. Rejecting never needs authority beyond the approver role."""
    if not role.at_least(Role.APPROVER):
        return Authority(
            False,
            PolicyWarning("supervisor.refuse.not_approver", severity="deny"),
        )
    if not approve or role is Role.ADMIN:
        return Authority(True)
    limit = approval_limit if approval_limit is not None else config.approver_daily_limit
    if limit is None or approved_today + amount <= limit:
        return Authority(True)
    return Authority(
        False,
        PolicyWarning(
            "supervisor.refuse.over_authority",
            (
                Figure("amount", amount, "money"),
                Figure("used", approved_today, "money"),
                Figure("limit", limit, "money"),
            ),
            severity="deny",
        ),
    )
