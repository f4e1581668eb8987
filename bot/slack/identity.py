"""Slack's people: a Slack user in a Slack team (one workspace per team).

The team is the verified installation's (``Inbound.team_id`` is set from Bolt's
authorize result by the listeners, see :mod:`bot.slack.tenancy`). Unknown users
of a known team get the lowest role in that team's workspace; a team with no
workspace gets no identity (the operator's team may claim ``default``).
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from bot.core.identity import ChannelIdentity, Identity
from bot.slack.tenancy import TeamPolicy, claim_workspace, workspace_of_team
from storage.models import Role, User, Workspace
from storage.repositories import add_user, find_user, membership_of
from vocabulary.inbound import Inbound

logger = logging.getLogger(__name__)


def team_workspace(session: Session, inbound: Inbound) -> Workspace | None:
    return workspace_of_team(session, inbound.team_id)


def slack_user(session: Session, inbound: Inbound) -> User | None:
    return find_user(session, slack_user_id=inbound.user_id)


def slack_identity(policy: TeamPolicy) -> ChannelIdentity:
    """How Slack people are found, with who may claim the default workspace."""

    def identify(session: Session, inbound: Inbound) -> Identity | None:
        workspace = claim_workspace(session, policy, inbound.team_id)
        if workspace is None:
            logger.warning(
                "slack user %s: team %s has no workspace, refused",
                inbound.user_id,
                inbound.team_id or "?",
            )
            return None
        user = slack_user(session, inbound)
        membership = membership_of(session, workspace.id, user.id) if user is not None else None
        if user is None or membership is None:
            created = add_user(
                session,
                workspace,
                role=Role.VIEWER,
                name=inbound.user_name,
                slack_user_id=inbound.user_id,
            )
            logger.info(
                "slack user %s: first contact, viewer in %s", inbound.user_id, workspace.slug
            )
            return Identity(workspace.id, created.user_id, Role(created.role))
        return Identity(workspace.id, user.id, Role(membership.role), rows=(user, workspace))

    return ChannelIdentity(identify=identify, find_user=slack_user, named_workspace=team_workspace)


#: Before the settings are known: no team may claim ``default`` (the root installs the real one).
SLACK_IDENTITY = slack_identity(TeamPolicy(operator_team=None, oauth=True))
