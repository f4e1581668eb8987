"""A team that uninstalls the app or revokes its bot token loses it everywhere, at once.

Slack sends ``app_uninstalled`` and ``tokens_revoked`` (signed like every
event; Bolt skips authorize for them, since the token is already gone). Here
the team's installations are deleted (tokens included), every push to its Slack
chats is switched off (daily report, alerts, digest: an explicit "off" per chat,
so the schedules skip them even where an admin's default would apply), and the
whole thing is written to the workspace's audit log. Reinstalling links the team
again; pushes come back when a chat asks for them ("ligar alertas").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.slack.tenancy import workspace_of_team
from storage.models import Conversation, SlackInstallation, Subscription
from storage.repositories import audit
from vocabulary.inbound import Channel
from vocabulary.recipients import KINDS

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

UNINSTALLED = "slack.app_uninstalled"
TOKENS_REVOKED = "slack.tokens_revoked"


@dataclass(frozen=True)
class Revoked:
    team_id: str
    workspace_id: int | None
    installations: int
    chats_stopped: int


def revoke_team(rt: Runtime, team_id: str, *, action: str) -> Revoked:
    """Delete the team's installations, stop its Slack pushes, audit it (idempotent)."""
    with rt.db.session() as session:
        rows = list(
            session.scalars(select(SlackInstallation).where(SlackInstallation.team_id == team_id))
        )
        for row in rows:
            session.delete(row)
        workspace = workspace_of_team(session, team_id)
        stopped = 0
        if workspace is not None:
            stopped = _stop_slack_pushes(session, workspace.id)
        if workspace is not None and (rows or stopped):  # a retry of the same notice: nothing new
            audit(
                session,
                workspace.id,
                actor=f"slack:{team_id}",
                action=action,
                subject=team_id,
                channel=Channel.SLACK.value,
                detail={"installations_deleted": len(rows), "chats_stopped": stopped},
            )
    logger.warning(
        "slack team %s: %s, %d installation(s) deleted, pushes stopped in %d chat(s)",
        team_id,
        action,
        len(rows),
        stopped,
    )
    return Revoked(team_id, workspace.id if workspace else None, len(rows), stopped)


def _stop_slack_pushes(session: Session, workspace_id: int) -> int:
    """An explicit "off" of every push kind in each of the workspace's Slack chats.

    Returns how many chats had a push still on.
    """
    chats = list(
        session.scalars(
            select(Conversation.id).where(
                Conversation.workspace_id == workspace_id,
                Conversation.channel == Channel.SLACK.value,
            )
        )
    )
    existing = {
        (sub.conversation_id, sub.kind): sub
        for sub in session.scalars(
            select(Subscription).where(Subscription.conversation_id.in_(chats))
        )
    }
    changed: set[int] = set()
    for chat in chats:
        for kind in KINDS:
            sub = existing.get((chat, kind))
            if sub is None:
                session.add(
                    Subscription(
                        workspace_id=workspace_id, conversation_id=chat, kind=kind, enabled=False
                    )
                )
                changed.add(chat)
            elif sub.enabled:
                sub.enabled = False
                changed.add(chat)
    session.flush()
    return len(changed)
