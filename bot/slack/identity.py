"""Slack's people: a Slack user in a Slack team (one workspace per team).

Unknown Slack users get the lowest role in their team's workspace (the default
workspace when the team was never installed by OAuth).
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.identity import ChannelIdentity, Identity
from storage.models import Role, User, Workspace
from storage.repositories import (
    DEFAULT_WORKSPACE,
    add_user,
    ensure_workspace,
    find_user,
    membership_of,
)
from vocabulary.inbound import Inbound

logger = logging.getLogger(__name__)


def team_workspace(session: Session, inbound: Inbound) -> Workspace | None:
    if not inbound.team_id:
        return None
    return session.scalar(select(Workspace).where(Workspace.slack_team_id == inbound.team_id))


def slack_user(session: Session, inbound: Inbound) -> User | None:
    return find_user(session, slack_user_id=inbound.user_id)


def identify(session: Session, inbound: Inbound) -> Identity:
    workspace = team_workspace(session, inbound) or ensure_workspace(session, DEFAULT_WORKSPACE)
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
        logger.info("slack user %s: first contact, viewer in %s", inbound.user_id, workspace.slug)
        return Identity(workspace.id, created.user_id, Role(created.role))
    return Identity(workspace.id, user.id, Role(membership.role))


SLACK_IDENTITY = ChannelIdentity(
    identify=identify, find_user=slack_user, named_workspace=team_workspace
)
