"""Who is talking: channel identity → user → workspace and role.

Unknown Slack users get the lowest role in the Slack team's workspace; the
local console operator administers the embedded install; an unknown WhatsApp
number gets no workspace at all (onboarding reply, no data).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Conversation, Role, User, Workspace, WorkspaceSettings
from storage.repositories import (
    DEFAULT_WORKSPACE,
    add_user,
    ensure_workspace,
    find_user,
    membership_of,
    workspace_of_user,
)
from vocabulary.inbound import Channel, Inbound

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Identity:
    workspace_id: int
    user_id: int
    role: Role


def resolve_identity(session: Session, inbound: Inbound) -> Identity | None:
    if inbound.channel is Channel.CONSOLE:
        return _console(session, inbound)
    if inbound.channel is Channel.SLACK:
        return _slack(session, inbound)
    return _whatsapp(session, inbound)


def _console(session: Session, inbound: Inbound) -> Identity:
    user = find_user(session, console_name=inbound.user_id)
    if user is None:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        membership = add_user(
            session, workspace, role=Role.ADMIN, name=inbound.user_id, console_name=inbound.user_id
        )
        return Identity(workspace.id, membership.user_id, Role.ADMIN)
    return _identity(session, user)


def _slack(session: Session, inbound: Inbound) -> Identity:
    workspace = None
    if inbound.team_id:
        workspace = session.scalar(
            select(Workspace).where(Workspace.slack_team_id == inbound.team_id)
        )
    if workspace is None:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
    user = find_user(session, slack_user_id=inbound.user_id)
    if user is None or membership_of(session, workspace.id, user.id) is None:
        membership = add_user(
            session,
            workspace,
            role=Role.VIEWER,
            name=inbound.user_name,
            slack_user_id=inbound.user_id,
        )
        logger.info("slack user %s: first contact, viewer in %s", inbound.user_id, workspace.slug)
        return Identity(workspace.id, membership.user_id, Role(membership.role))
    membership = membership_of(session, workspace.id, user.id)
    assert membership is not None
    return Identity(workspace.id, user.id, Role(membership.role))


def _whatsapp(session: Session, inbound: Inbound) -> Identity | None:
    user = find_user(session, whatsapp_number=inbound.user_id)
    if user is None:
        return None
    if inbound.user_name and not user.name:
        user.name = inbound.user_name  # the WhatsApp profile name, so cards show a person
    return _identity(session, user)


def _identity(session: Session, user: User) -> Identity:
    workspace = workspace_of_user(session, user.id)
    if workspace is None:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
    membership = membership_of(session, workspace.id, user.id)
    role = Role(membership.role) if membership else Role.VIEWER
    return Identity(workspace.id, user.id, role)


def reply_language(session: Session, inbound: Inbound, default: str) -> str:
    """The language for words sent before the core runs (acks, queue errors, onboarding).

    The same order as the core's (the person's, the conversation's, the workspace's);
    a WhatsApp number nobody linked yet is answered by its country: +55 in Portuguese,
    others in English. Read-only: nothing is created for a first contact here.
    """
    lookup = {
        Channel.SLACK: {"slack_user_id": inbound.user_id},
        Channel.WHATSAPP: {"whatsapp_number": inbound.user_id},
        Channel.CONSOLE: {"console_name": inbound.user_id},
    }[inbound.channel]
    user = find_user(session, **lookup)
    if user is not None and user.language:
        return user.language
    chosen = session.scalar(
        select(Conversation.language).where(
            Conversation.channel == inbound.channel.value,
            Conversation.chat_id == inbound.chat_id,
            Conversation.thread_id == (inbound.thread_id or ""),
            Conversation.language.is_not(None),
        )
    )
    if chosen:
        return chosen
    workspace = None
    if inbound.channel is Channel.SLACK and inbound.team_id:
        workspace = session.scalar(
            select(Workspace).where(Workspace.slack_team_id == inbound.team_id)
        )
    if workspace is None and user is not None:
        workspace = workspace_of_user(session, user.id)
    if workspace is not None:
        language = session.scalar(
            select(WorkspaceSettings.language).where(WorkspaceSettings.workspace_id == workspace.id)
        )
        if language:
            return language
    if inbound.channel is Channel.WHATSAPP and user is None:
        return "pt-BR" if inbound.user_id.lstrip("+").startswith("55") else "en"
    return default
