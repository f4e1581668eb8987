"""Approval cards: one proposal shown as a ``Reply``, in the reader's language, in any state.

A pending card shows the action, who asks and why, the warnings with their
figures and Approve / Reject buttons. After a decision the same card (same
``key``, updated in place where the channel can) shows who decided and the
outcome, and an Undo button while the executed change can still be undone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.brain.wording import decision_lines
from storage.models import AdAccount, Proposal, User
from storage.repositories import workspace_settings
from supervisor.moves import describe_move, move_failure, move_platforms
from supervisor.proposals import ActionKind, money
from supervisor.reasons import PolicyWarning
from supervisor.thresholds import workspace_policy
from vocabulary.i18n import Locale
from vocabulary.inbound import Action
from vocabulary.platforms import PLATFORMS
from vocabulary.replies import Button, KeyFigure, Reply
from vocabulary.runtime import Runtime
from vocabulary.untrusted import inert, quotation

APPROVE = "approval.approve"
REJECT = "approval.reject"
UNDO = "approval.undo"


#: Free text on a card (issue 13): names inline, the reason as a labelled one-line quotation.
NAME_LIMIT = 80
REASON_LIMIT = 1000  # an A/B test's design (its variants, split, power) is this long
#: A schedule's reason is the brain's decision in words (code-written, names inside): inert,
#: not quoted, and long enough for its figures.
MODEL_REASON_LIMIT = 1500


def card_key(proposal_id: str) -> str:
    return f"approval:{proposal_id}"


@dataclass(frozen=True)
class CardData:
    """A proposal row with the names a card needs, detached from any session."""

    id: str
    kind: ActionKind
    level: str
    target_name: str
    new_value: dict[str, Any]
    current_value: dict[str, Any]
    reason: str
    proposer: str  # display name
    verdict: str
    warnings: tuple[PolicyWarning, ...]
    state: str
    expires_at: datetime
    decided_by: str | None
    decided_channel: str | None
    decided_at: datetime | None
    executed_at: datetime | None
    result: dict[str, Any]
    undo_of: str | None
    currency: str
    undo_until: datetime | None
    undone_at: datetime | None = None  # when its undo ran (the card then offers no Undo)
    undone_by: str | None = None
    platform: str = "Meta"  # the label of the platform the change runs on
    proposer_kind: str = "user"  # user | agent | schedule | system

    @property
    def undoable(self) -> bool:
        return (
            self.state == "executed"
            and self.kind.reversible
            and self.undo_of is None
            and self.undo_until is not None
            and self.undone_at is None
        )


def user_name(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return "?"
    user = session.get(User, user_id)
    if user is None:
        return f"#{user_id}"
    name = user.name or user.console_name or user.slack_user_id or user.whatsapp_number or "?"
    return inert(name, NAME_LIMIT)  # a display name is whatever its owner typed


def proposer_name(session: Session, kind: str, ident: str, locale: Locale) -> str:
    if kind == "user":
        name = user_name(session, int(ident)) if ident.isdigit() else ident
        return locale.t("supervisor.proposer.user", name=name)
    if kind in ("agent", "schedule"):
        key = f"supervisor.{kind}_name.{ident}"
        name = locale.t(key)
        shown = inert(ident, NAME_LIMIT) if name == key else name
        return locale.t(f"supervisor.proposer.{kind}", name=shown)
    return locale.t("supervisor.proposer.system")


def reason_for(row: Proposal, locale: Locale, currency: str) -> str:
    """Why, in the reader's language: the brain's decisions are worded again from their
    figures (stored with the proposal); a person's own words stay as they were typed."""
    decision = row.explanation or {}
    if row.proposer_kind != "schedule" or not decision.get("kind") or not decision.get("reason"):
        return row.reason
    margin = Decimal(decision["margin"]) if decision.get("margin") else None
    try:
        lines = decision_lines(
            decision,
            locale,
            decision.get("currency") or currency,
            margin=margin,
            names=decision.get("names") or {},
        )
    except (KeyError, TypeError, ValueError):  # an older row's shape: its stored words
        return row.reason
    return " ".join(lines)


def card_data(session: Session, row: Proposal, locale: Locale) -> CardData:
    prefs = workspace_settings(session, row.workspace_id)
    config = workspace_policy(prefs)
    undo_until = row.executed_at + config.undo_window if row.executed_at else None
    undone = session.scalars(
        select(Proposal)
        .where(Proposal.undo_of == row.id, Proposal.state == "executed")
        .order_by(Proposal.executed_at)
        .limit(1)
    ).first()
    undone_by = None
    if undone is not None:
        by = undone.decided_by or (
            int(undone.proposer_id) if undone.proposer_id.isdigit() else None
        )
        undone_by = user_name(session, by)
    data = CardData(
        id=row.id,
        kind=ActionKind(row.kind),
        level=row.target_level,
        target_name=inert(row.target_name, NAME_LIMIT * 2),  # named by anyone on the account
        new_value=dict(row.new_value or {}),
        current_value=dict(row.current_value or {}),
        reason=reason_for(row, locale, prefs.currency),
        proposer=proposer_name(session, row.proposer_kind, row.proposer_id, locale),
        verdict=row.verdict,
        warnings=tuple(PolicyWarning.from_json(w) for w in row.warnings or ()),
        state=row.state,
        expires_at=row.expires_at,
        decided_by=user_name(session, row.decided_by) if row.decided_by else None,
        decided_channel=row.decided_channel,
        decided_at=row.decided_at,
        executed_at=row.executed_at,
        result=dict(row.result or {}),
        undo_of=row.undo_of,
        currency=prefs.currency,
        undo_until=undo_until,
        undone_at=undone.executed_at if undone is not None else None,
        undone_by=undone_by,
        platform=_platform_label(session, row.ad_account_id),
        proposer_kind=row.proposer_kind,
    )
    if data.kind is ActionKind.MOVE_BUDGET:  # --- issue 18: a move runs on both legs' platforms
        data = replace(data, platform=move_platforms(data.new_value))
    return data


def _platform_label(session: Session, account_pk: int | None) -> str:
    account = session.get(AdAccount, account_pk) if account_pk is not None else None
    info = PLATFORMS.get(account.platform if account is not None else "meta")
    return info.label if info is not None else "Meta"


def describe(
    kind: ActionKind,
    level: str,
    name: str,
    new_value: dict[str, Any],
    current_value: dict[str, Any],
    locale: Locale,
    currency: str,
) -> str:
    """The action in the reader's words: "pausar a campanha “Black Friday”"."""
    if ActionKind(kind) is ActionKind.MOVE_BUDGET:  # --- issue 18: both legs on one line
        return describe_move(name, new_value, current_value, locale, currency)
    return locale.t(
        f"supervisor.action.{ActionKind(kind).value}",
        level=locale.t(f"supervisor.level.{level}"),
        level_of=locale.t(f"supervisor.level_of.{level}"),
        name=name,
        new=locale.money(money(new_value.get("daily_budget")), currency),
        current=locale.money(money(current_value.get("daily_budget")), currency),
    )


def action_text(data: CardData, locale: Locale) -> str:
    return describe(
        data.kind,
        data.level,
        data.target_name,
        data.new_value,
        data.current_value,
        locale,
        data.currency,
    )


def _figures(data: CardData, locale: Locale) -> tuple[KeyFigure, ...]:
    context = data.result.get("context") or {}
    out: list[KeyFigure] = []
    if context.get("ctr_7d") is not None:
        out.append(
            KeyFigure(
                locale.t("supervisor.card.figure.ctr"), locale.percent(Decimal(context["ctr_7d"]))
            )
        )
    if context.get("spend_7d") is not None and data.kind is not ActionKind.CREATE_DRAFT:
        out.append(
            KeyFigure(
                locale.t("supervisor.card.figure.spend"),
                locale.money(Decimal(context["spend_7d"]), data.currency),
            )
        )
    if data.kind is ActionKind.SET_BUDGET:
        old, new = (
            money(data.current_value.get("daily_budget")),
            money(data.new_value.get("daily_budget")),
        )
        change = None
        if old and new is not None:
            change = locale.change((new - old) * 100 / old)
        out.append(
            KeyFigure(
                locale.t("supervisor.card.figure.budget"),
                f"{locale.money(old, data.currency)} → {locale.money(new, data.currency)}",
                change,
            )
        )
    elif context.get("daily_budget") is not None and data.kind is not ActionKind.MOVE_BUDGET:
        out.append(
            KeyFigure(
                locale.t("supervisor.card.figure.budget"),
                locale.money(Decimal(context["daily_budget"]), data.currency),
            )
        )
    if context.get("monthly_limit") is not None:
        out.append(
            KeyFigure(
                locale.t("supervisor.card.figure.projected"),
                locale.money(Decimal(context["projected_month"]), data.currency),
            )
        )
        out.append(
            KeyFigure(
                locale.t("supervisor.card.figure.limit"),
                locale.money(Decimal(context["monthly_limit"]), data.currency),
            )
        )
    return tuple(out)


def render_card(data: CardData, locale: Locale) -> Reply:
    """The card for ``data`` in its current state."""
    action = action_text(data, locale)
    pending = data.state == "pending"
    if data.state == "denied":
        title = locale.t("supervisor.card.title_decided")
    else:
        title = locale.t("supervisor.card.title" if pending else "supervisor.card.title_decided")
    if data.undo_of:
        title = f"↩️ {title}"
    lines = [f"*{title}*"]
    if data.state == "denied":
        lines.append(locale.t("supervisor.card.denied", action=action))
    else:
        lines.append(locale.t("supervisor.card.action", action=action))
    if data.reason and not data.undo_of:
        said = (
            inert(data.reason, MODEL_REASON_LIMIT)  # the models' figures, written by code
            if data.proposer_kind == "schedule"
            else quotation(locale.t("supervisor.card.reason_label"), data.reason, REASON_LIMIT)
        )
        lines.append(locale.t("supervisor.card.requested", who=data.proposer, reason=said))
    else:
        lines.append(locale.t("supervisor.card.requested_no_reason", who=data.proposer))
    figures = _figures(data, locale)
    if figures and data.state in ("pending", "denied", "approved"):
        lines.append(" · ".join(f"{f.label}: {f.value}" for f in figures))
    if data.warnings:
        if data.state != "denied":
            lines.append(locale.t("supervisor.card.warnings"))
        lines += [f"• {w.render(locale, data.currency)}" for w in data.warnings]
    archives = data.kind is ActionKind.DELETE and data.new_value.get("status") == "ARCHIVED"
    if archives and data.state in ("pending", "approved", "executed"):
        lines.append(locale.t("supervisor.card.no_undo_archive"))  # whether undo is possible
    lines += _outcome(data, locale)
    buttons: tuple[Button, ...] = ()
    if pending:
        confirm = (
            locale.t("supervisor.confirm.approve", action=action) if data.kind.destructive else None
        )
        buttons = (
            Button(
                locale.t("supervisor.button.approve"),
                Action(APPROVE, data.id),
                style="danger" if data.kind is ActionKind.DELETE else "primary",
                confirm=confirm,
            ),
            Button(locale.t("supervisor.button.reject"), Action(REJECT, data.id)),
        )
    elif data.undoable:
        buttons = (Button(locale.t("supervisor.button.undo"), Action(UNDO, data.id)),)
    return Reply(
        "\n".join(lines),
        kind="error" if data.state == "denied" else "approval",
        title=title,
        figures=figures if data.state in ("pending", "denied") else (),
        buttons=buttons,
        key=card_key(data.id),
        data={"proposal_id": data.id, "state": data.state, "action": action},
    )


def _outcome(data: CardData, locale: Locale) -> list[str]:
    lines: list[str] = []
    if data.state == "pending":
        lines.append(locale.t("supervisor.card.expires", at=locale.datetime(data.expires_at)))
        return lines
    if data.state == "expired":
        return [locale.t("supervisor.card.expired")]
    if data.state == "denied":
        return lines
    if data.decided_by and data.decided_at:
        key = (
            "supervisor.card.rejected_by"
            if data.state == "rejected"
            else "supervisor.card.approved_by"
        )
        lines.append(
            locale.t(
                key,
                who=data.decided_by,
                channel=data.decided_channel or "?",
                at=locale.datetime(data.decided_at),
            )
        )
    elif data.state != "rejected":
        lines.append(locale.t("supervisor.card.auto"))
    if data.state in ("approved", "executing"):
        lines.append(locale.t("supervisor.card.executing"))
    elif data.state == "executed" and data.executed_at:
        done = locale.t(
            "supervisor.card.executed", at=locale.datetime(data.executed_at), platform=data.platform
        )
        if data.undoable and data.undo_until:
            done += " " + locale.t(
                "supervisor.card.undo_until", at=locale.datetime(data.undo_until)
            )
        lines.append(done)
        if data.undone_at is not None:
            lines.append(
                locale.t(
                    "supervisor.card.undone",
                    who=data.undone_by or "?",
                    at=locale.datetime(data.undone_at),
                )
            )
    elif data.state == "failed":
        lines += _failure(data, locale)
    return lines


def _failure(data: CardData, locale: Locale) -> list[str]:
    error = data.result.get("error") or {}
    if data.kind is ActionKind.MOVE_BUDGET:  # --- issue 18: what became of each leg
        move = move_failure(
            error, data.target_name, data.new_value, data.current_value, locale, data.currency
        )
        if move is not None:
            return move
    if error.get("kind") == "stale":
        before, now = error.get("before") or {}, error.get("now") or {}
        lines = [
            locale.t(
                "supervisor.card.stale",
                before=_state_words(before, locale, data.currency),
                now=_state_words(now, locale, data.currency),
            )
        ]
        if error.get("already_applied"):
            lines.append(locale.t("supervisor.card.stale_done"))
        return lines
    if error.get("kind") == "ambiguous":
        return [locale.t("supervisor.card.failed", error=locale.t("supervisor.error.ambiguous"))]
    if error.get("kind") == "denied":
        reasons = [PolicyWarning.from_json(w) for w in error.get("reasons") or ()]
        text = "; ".join(w.render(locale, data.currency) for w in reasons) or "?"
        return [locale.t("supervisor.card.failed", error=text)]
    message = inert(error.get("message"), REASON_LIMIT) or "?"  # the platform's words
    return [locale.t("supervisor.card.failed", error=message)]


def _state_words(values: dict[str, Any], locale: Locale, currency: str) -> str:
    parts = []
    if values.get("status"):
        parts.append(locale.t(f"status.{str(values['status']).lower()}"))
    if values.get("daily_budget") is not None:
        parts.append(locale.money(money(values["daily_budget"]), currency))
    return ", ".join(parts) or "—"


def card_for(rt: Runtime, proposal_id: str, locale: Locale) -> Reply:
    """The approval card of one proposal as it stands now (kind "approval", key approval:<id>)."""
    with rt.db.session() as session:
        row = session.get(Proposal, proposal_id)
        if row is None:
            raise LookupError(f"no proposal {proposal_id}")
        return render_card(card_data(session, row, locale), locale)
