"""Taking access away (issue 13, hole 9): a person out of a workspace, an ad account unlinked.

:func:`remove_member` ends a person's membership; once they belong nowhere their
channel identities (Slack user id, WhatsApp number, console name) are released,
so their next message is an unknown person's. :func:`unlink_account` cancels the
proposals still waiting on the account (nothing runs on an account we may no
longer touch), detaches the decided ones (the audit log keeps their story),
then deletes the account: its encrypted token, metrics and shadow rules go, and
with no account row the schedules and pushes have nothing to run for it. Both
write to the audit log; callers (the CLI) hold the session.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import AdAccount, Membership, Proposal, User
from storage.repositories import audit
from supervisor.lifecycle import audit_detail, compare_and_set

logger = logging.getLogger(__name__)

#: Open proposals an unlink stops: not yet running. One already executing finishes.
CANCELLABLE = ("pending", "approved")


@dataclass(frozen=True)
class Removed:
    role: str
    released: bool  # True: they belong to no workspace now, their identities were freed


def remove_member(
    session: Session, workspace_id: int, user: User, *, actor: str, channel: str = ""
) -> Removed | None:
    """``user`` out of the workspace (None when they were not in it), audited."""
    membership = session.scalar(
        select(Membership).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user.id
        )
    )
    if membership is None:
        return None
    role = membership.role
    session.delete(membership)
    session.flush()
    others = session.scalar(
        select(func.count()).select_from(Membership).where(Membership.user_id == user.id)
    )
    identities = {
        "slack_user_id": user.slack_user_id,
        "whatsapp_number": user.whatsapp_number,
        "console_name": user.console_name,
    }
    if not others:
        user.slack_user_id = user.whatsapp_number = user.console_name = None
    audit(
        session,
        workspace_id,
        actor=actor,
        action="user.removed",
        subject=next((v for v in identities.values() if v), str(user.id)),
        channel=channel,
        detail={"user_id": user.id, "role": role, "released": not others},
    )
    logger.info("workspace %s: user %s removed (was %s)", workspace_id, user.id, role)
    return Removed(role, released=not others)


@dataclass(frozen=True)
class Unlinked:
    external_id: str
    cancelled: list[str]  # ids of the proposals cancelled


def unlink_account(
    session: Session, workspace_id: int, account: AdAccount, *, actor: str, channel: str = ""
) -> Unlinked:
    """Cancel what waits on ``account``, then delete it; audited (each cancellation too)."""
    cancelled = []
    waiting = session.scalars(
        select(Proposal).where(
            Proposal.ad_account_id == account.id, Proposal.state.in_(CANCELLABLE)
        )
    ).all()
    for row in waiting:
        if compare_and_set(session, row.id, row.state, "cancelled"):
            cancelled.append(row.id)
            audit(
                session,
                workspace_id,
                actor=actor,
                action="proposal.cancelled",
                subject=row.target_id,
                channel=channel,
                detail={**audit_detail(row), "state": "cancelled", "why": "account unlinked"},
            )
    session.execute(
        update(Proposal).where(Proposal.ad_account_id == account.id).values(ad_account_id=None)
    )
    external = account.external_id
    audit(
        session,
        workspace_id,
        actor=actor,
        action="account.unlinked",
        subject=external,
        channel=channel,
        detail={"name": account.name, "cancelled": len(cancelled)},
    )
    session.delete(account)
    session.flush()
    logger.info(
        "workspace %s: account %s unlinked, %s proposals cancelled",
        workspace_id,
        external,
        len(cancelled),
    )
    return Unlinked(external, cancelled)
