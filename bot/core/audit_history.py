"""The audit log in plain words: who asked, who decided, what ran, for chat and the CLI."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.core import workspace_config
from storage.models import AuditEntry
from storage.repositories import audit_entries, workspace_settings
from supervisor.cards import describe, user_name
from supervisor.proposals import ActionKind
from vocabulary.i18n import Locale
from vocabulary.untrusted import inert

SIMPLE = {
    "proposal.approved",
    "proposal.rejected",
    "proposal.expired",
    "proposal.executed",
    "proposal.stale",
    "approval.refused",
}


def actor_name(session: Session, actor: str, locale: Locale) -> str:
    kind, _, ident = actor.partition(":")
    if kind == "user" and ident.isdigit():
        return user_name(session, int(ident))
    if kind in ("agent", "schedule"):
        return locale.t(f"supervisor.proposer.{kind}", name=ident)
    return locale.t("supervisor.proposer.system")


def describe_entry(entry: AuditEntry, locale: Locale, currency: str) -> str:
    """One audit entry as a sentence in the reader's language."""
    detail: dict[str, Any] = dict(entry.detail or {})
    if entry.action == "settings.changed":
        field = workspace_config.find_field(entry.subject)
        name = workspace_config.label(field, locale) if field else entry.subject
        return locale.t(
            "history.settings.changed",
            field=name,
            before=detail.get("before", "—"),
            after=detail.get("after", "—"),
        )
    if "kind" not in detail or detail.get("kind") not in set(ActionKind):
        extra = " ".join(f"{k}={v}" for k, v in detail.items())
        return " ".join(part for part in (entry.action, entry.subject, extra) if part)
    action = describe(
        ActionKind(detail["kind"]),
        detail.get("level") or "campaign",
        inert(detail.get("target") or entry.subject, 160),  # named by anyone on the account
        detail.get("new") or {},
        detail.get("current") or {},
        locale,
        currency,
    )
    if detail.get("undo_of"):
        action += locale.t("history.undo")
    if entry.action == "proposal.created":
        verdict = locale.t(f"supervisor.verdict.{detail.get('verdict', 'approval')}")
        return locale.t("history.proposal.created", action=action, verdict=verdict)
    if entry.action == "proposal.failed":
        error = detail.get("error") or {}
        message = inert(error.get("message") or error.get("kind") or "?", 280)
        return locale.t("history.proposal.failed", action=action, error=message)
    if entry.action == "proposal.reason":
        reason = inert(detail.get("reason", ""), 280)  # a person's words: one line, inert
        return locale.t("history.proposal.reason", action=action, reason=reason)
    if entry.action == "approval.ignored":
        state = locale.t(f"supervisor.state.{detail.get('state') or 'pending'}")
        return locale.t("history.approval.ignored", action=action, state=state)
    if entry.action in SIMPLE:
        return locale.t(f"history.{entry.action}", action=action)
    return f"{entry.action}: {action}"


def history_lines(
    session: Session, workspace_id: int, locale: Locale, *, limit: int = 15
) -> list[str]:
    """The latest ``limit`` entries, oldest first, one line each."""
    currency = workspace_settings(session, workspace_id).currency
    lines = []
    for entry in reversed(audit_entries(session, workspace_id, limit=limit)):
        who = actor_name(session, entry.actor, locale)
        if entry.channel:
            who = f"{who} ({entry.channel})"
        lines.append(
            locale.t(
                "history.line",
                at=locale.datetime(entry.at),
                who=who,
                what=describe_entry(entry, locale, currency),
            )
        )
    return lines
