"""A platform's own monthly limit as a guardrail (issue 18): no change pushes it past it alone.

The workspace's monthly limit covers every platform; a workspace may also give a platform
a limit of its own (``limite mensal google R$ 20.000``, see
:mod:`vocabulary.platform_limits`). A change that would raise this platform's projected
month past that limit is escalated: it needs a person with authority, whatever the
autonomy level, with the figures on its card. Cuts and pauses are never held back by it.

The projection is the policy's own (this account's month so far plus its run rate, with
the change, for the days left), plus the platform's other accounts in the workspace
currency as the metrics history has them (their month so far and their last 7 days' rate).
The limit across platforms is checked the same way with every account of the workspace in
it (the policy's own check, :mod:`supervisor.policy`, sees only the target's account).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from analytics.history import spend_between
from storage.models import AdAccount
from storage.repositories import ad_accounts, workspace_settings
from supervisor.policy import Evaluation, PolicyContext, spend_delta
from supervisor.proposals import ActionKind, ActionProposal
from supervisor.reasons import Figure, PolicyWarning
from vocabulary.i18n import register
from vocabulary.platform_limits import platform_limit
from vocabulary.platforms import PLATFORMS

register(
    {
        "supervisor.warn.platform_month_projection": {
            "pt-BR": (
                "A projeção do mês no {platform} iria a {projected}, acima do limite mensal "
                "do {platform} de {limit} (gasto no {platform} até agora: {month_spend})."
            ),
            "en": (
                "The month projection on {platform} would reach {projected}, above the "
                "{platform} monthly limit of {limit} (spent on {platform} so far: {month_spend})."
            ),
        },
    }
)


@dataclass(frozen=True)
class PlatformMonth:
    """The platform's limit, and its other accounts' month so far and daily rate."""

    platform: str
    limit: Decimal
    others_month: Decimal = Decimal(0)
    others_rate: Decimal = Decimal(0)


def platform_warning(
    month: PlatformMonth, ctx: PolicyContext, delta: Decimal
) -> PolicyWarning | None:
    """Pure: the warning when ``delta`` more a day takes the platform's month past its limit."""
    if delta <= 0:
        return None
    others = month.others_month + month.others_rate * ctx.days_left_in_month
    projected = (ctx.projected_month(delta) + others).quantize(Decimal(1))
    if projected <= month.limit:
        return None
    info = PLATFORMS.get(month.platform)
    return PolicyWarning(
        "supervisor.warn.platform_month_projection",
        (
            Figure("projected", projected, "money"),
            Figure("limit", month.limit, "money"),
            Figure("month_spend", ctx.month_spend + month.others_month, "money"),
        ),
        params={"platform": info.label if info is not None else month.platform},
    )


def escalated(evaluation: Evaluation, warning: PolicyWarning | None) -> Evaluation:
    """The verdict with the platform's limit applied: an allowed change now waits for a person."""
    if warning is None or evaluation.verdict == "deny":
        return evaluation
    return replace(
        evaluation,
        verdict="approval",
        warnings=(*evaluation.warnings, warning),
        fast_track=False,
    )


def _others(
    session: Session, account: AdAccount, ctx: PolicyContext, platform: str | None
) -> tuple[Decimal, Decimal]:
    """The workspace's other accounts (of ``platform``, or all): month so far, daily rate."""
    today = ctx.now.astimezone(ZoneInfo(account.timezone)).date()
    week = (today - timedelta(days=7), today - timedelta(days=1))
    month = rate = Decimal(0)
    for other in ad_accounts(session, account.workspace_id):
        if other.id == account.id or (platform is not None and other.platform != platform):
            continue
        if other.currency != account.currency or other.token_status == "invalid":
            continue
        month += spend_between(session, other.id, today.replace(day=1), today)
        rate += spend_between(session, other.id, *week) / 7
    return month, rate


def with_workspace_month(session: Session, account: AdAccount, ctx: PolicyContext) -> PolicyContext:
    """``ctx`` knowing the month so far of every account of the workspace (its currency), so a
    pause that stops spend past the workspace's limit is judged on the workspace's spend."""
    month, _ = _others(session, account, ctx, None)
    if not month:
        return ctx
    return replace(ctx, workspace_month_spend=ctx.month_spend + month)


def platform_month(
    session: Session, account: AdAccount, ctx: PolicyContext
) -> PlatformMonth | None:
    """The platform's limit and its other accounts' figures, or None without a limit."""
    prefs = workspace_settings(session, account.workspace_id)
    limit = platform_limit(prefs, account.platform)
    if limit is None or prefs.currency != account.currency:
        return None
    return PlatformMonth(account.platform, limit, *_others(session, account, ctx, account.platform))


def workspace_warning(
    session: Session, account: AdAccount, ctx: PolicyContext, delta: Decimal
) -> PolicyWarning | None:
    """The limit across platforms with every account's month in it (the policy's own check
    sees only the target's account): the same warning, with the workspace's figures."""
    prefs = workspace_settings(session, account.workspace_id)
    limit = prefs.monthly_budget_limit
    if not limit or prefs.currency != account.currency:
        return None
    month, rate = _others(session, account, ctx, None)
    if not month and not rate:
        return None  # one account: the policy already judged it
    others = month + rate * ctx.days_left_in_month
    projected = (ctx.projected_month(delta) + others).quantize(Decimal(1))
    if projected <= limit:
        return None
    return PolicyWarning(
        "supervisor.warn.month_projection",
        (
            Figure("projected", projected, "money"),
            Figure("limit", Decimal(limit), "money"),
            Figure("month_spend", ctx.month_spend + month, "money"),
        ),
    )


def guard(
    session: Session,
    account: AdAccount,
    proposal: ActionProposal,
    ctx: PolicyContext,
    evaluation: Evaluation,
    *,
    across: bool = True,
) -> Evaluation:
    """``evaluation`` with ``account``'s platform limit applied (read in ``session``), and
    with ``across`` the workspace's limit across platforms (not for one leg of a move:
    the move as a whole leaves the workspace's spend as it was)."""
    kind = ActionKind(proposal.kind)
    if kind is ActionKind.MOVE_BUDGET or not ctx.token_ok:  # a move is guarded leg by leg
        return evaluation
    delta = spend_delta(proposal, kind, ctx)
    if delta <= 0:
        return evaluation
    if across and not any(w.key == "supervisor.warn.month_projection" for w in evaluation.warnings):
        evaluation = escalated(evaluation, workspace_warning(session, account, ctx, delta))
    month = platform_month(session, account, ctx)
    return escalated(evaluation, platform_warning(month, ctx, delta) if month else None)
