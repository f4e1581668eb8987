"""Which mediabrain workspace a Slack team is, decided from the verified installation only.

The tenant of a request is the team whose installation received it: Bolt's
authorize result (the installation's token, confirmed by ``auth.test``), never
``event.team`` or the user's team, which a Slack Connect channel or a crafted
body can set to anything. A team maps to the workspace whose ``slack_team_id``
it is; a team with none is refused, with one exception: the ``default``
workspace may be claimed, once, by the operator's team (``MEDIABRAIN_SLACK_TEAM_ID``;
with a single bot token and no such setting, the token's own team). So a
stranger's team is never enrolled into ``default`` and the first
``/slack/install`` no longer takes it over.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Workspace
from storage.repositories import DEFAULT_WORKSPACE, ensure_workspace

if TYPE_CHECKING:
    from vocabulary.settings import Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TeamPolicy:
    """Who may claim the ``default`` workspace (the operator's, with the env ad account)."""

    operator_team: str | None  # MEDIABRAIN_SLACK_TEAM_ID
    oauth: bool  # multi-workspace installs (otherwise one bot token)

    def may_claim_default(self, team_id: str) -> bool:
        if not team_id:
            return False
        if self.operator_team:
            return team_id == self.operator_team
        # One bot token: only its own team's requests get this far (the edge checks).
        return not self.oauth


def team_policy(settings: Settings) -> TeamPolicy:
    return TeamPolicy(
        operator_team=settings.slack_team_id or None,
        oauth=bool(settings.slack_client_id and settings.slack_client_secret),
    )


def workspace_of_team(session: Session, team_id: str) -> Workspace | None:
    """The workspace already linked to this team (read-only)."""
    if not team_id:
        return None
    return session.scalar(select(Workspace).where(Workspace.slack_team_id == team_id))


def _unclaimed_default(session: Session) -> Workspace | None:
    default = session.scalar(select(Workspace).where(Workspace.slug == DEFAULT_WORKSPACE))
    if default is not None and default.slack_team_id:
        return None
    return default or ensure_workspace(session, DEFAULT_WORKSPACE)


def known_team(session: Session, policy: TeamPolicy, team_id: str) -> bool:
    """Whether requests of this (verified) team have a workspace to go to (read-only)."""
    if workspace_of_team(session, team_id) is not None:
        return True
    if not policy.may_claim_default(team_id):
        return False
    default = session.scalar(select(Workspace).where(Workspace.slug == DEFAULT_WORKSPACE))
    return default is None or not default.slack_team_id


def claim_workspace(session: Session, policy: TeamPolicy, team_id: str) -> Workspace | None:
    """The team's workspace; the operator's team claims ``default`` the first time; else None."""
    workspace = workspace_of_team(session, team_id)
    if workspace is not None or not policy.may_claim_default(team_id):
        return workspace
    default = _unclaimed_default(session)
    if default is None:
        logger.warning("slack team %s: default workspace already belongs to another team", team_id)
        return None
    default.slack_team_id = team_id
    session.flush()
    logger.info("slack team %s: claims the default workspace", team_id)
    return default
