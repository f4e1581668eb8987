"""Queries the rest of the code needs, named for what they answer.

Functions take a session and plain values; sessions scoped to a workspace
(``Database.session(workspace_id)``) can only ever see that workspace's rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import (
    AdAccount,
    AuditEntry,
    Conversation,
    Membership,
    Role,
    User,
    Workspace,
    WorkspaceSettings,
)
from storage.rowcache import attach, row_cache, snapshot
from storage.tenancy import scoped_workspace

logger = logging.getLogger(__name__)

DEFAULT_WORKSPACE = "default"


class UnknownWorkspace(LookupError):
    pass


def get_workspace(session: Session, slug: str) -> Workspace:
    workspace = session.scalar(select(Workspace).where(Workspace.slug == slug))
    if workspace is None:
        raise UnknownWorkspace(slug)
    return workspace


def ensure_workspace(
    session: Session,
    slug: str = DEFAULT_WORKSPACE,
    *,
    name: str | None = None,
    language: str = "pt-BR",
    timezone: str = "America/Sao_Paulo",
    currency: str = "BRL",
) -> Workspace:
    """The workspace with this slug, created with default settings the first time."""
    workspace = session.scalar(select(Workspace).where(Workspace.slug == slug))
    if workspace is not None:
        return workspace
    workspace = Workspace(slug=slug, name=name or slug)
    session.add(workspace)
    session.flush()
    session.add(
        WorkspaceSettings(
            workspace_id=workspace.id, language=language, timezone=timezone, currency=currency
        )
    )
    session.flush()
    logger.info("workspace %s: created (id=%s)", slug, workspace.id)
    return workspace


def workspace_settings(session: Session, workspace_id: int) -> WorkspaceSettings:
    """The workspace's preferences (made on first use); from the row cache when it is current
    (every turn reads them; storage/rowcache.py)."""
    cache = row_cache(session)
    if cache is not None and scoped_workspace(session) not in (None, workspace_id):
        cache = None  # another tenant's session: read (and be refused) as always
    key = ("prefs", workspace_id)
    cached = cache.get(session, key) if cache is not None else None
    if cached is not None:
        return attach(session, WorkspaceSettings, cached)
    row = session.scalar(
        select(WorkspaceSettings).where(WorkspaceSettings.workspace_id == workspace_id)
    )
    if row is None:
        row = WorkspaceSettings(workspace_id=workspace_id)
        session.add(row)
        session.flush()
    elif cache is not None:
        cache.put(session, key, snapshot(row))
    return row


def link_ad_account(
    session: Session,
    workspace_id: int,
    external_id: str,
    *,
    platform: str = "meta",
    name: str = "",
    currency: str = "BRL",
    timezone: str = "America/Sao_Paulo",
    encrypted_token: bytes | None = None,
) -> AdAccount:
    account = session.scalar(
        select(AdAccount).where(
            AdAccount.workspace_id == workspace_id,
            AdAccount.platform == platform,
            AdAccount.external_id == external_id,
        )
    )
    if account is None:
        account = AdAccount(
            workspace_id=workspace_id,
            platform=platform,
            external_id=external_id,
            name=name,
            currency=currency,
            timezone=timezone,
            access_token_encrypted=encrypted_token,
        )
        session.add(account)
        session.flush()
    return account


def ad_accounts(session: Session, workspace_id: int) -> list[AdAccount]:
    return list(
        session.scalars(
            select(AdAccount).where(AdAccount.workspace_id == workspace_id).order_by(AdAccount.id)
        )
    )


def all_workspaces(session: Session) -> list[Workspace]:
    return list(session.scalars(select(Workspace).order_by(Workspace.id)))


# --- people -------------------------------------------------------------------


def find_user(
    session: Session,
    *,
    slack_user_id: str | None = None,
    whatsapp_number: str | None = None,
    console_name: str | None = None,
) -> User | None:
    if slack_user_id:
        return session.scalar(select(User).where(User.slack_user_id == slack_user_id))
    if whatsapp_number:
        number = normalize_number(whatsapp_number)
        return session.scalar(select(User).where(User.whatsapp_number == number))
    if console_name:
        return session.scalar(select(User).where(User.console_name == console_name))
    return None


def normalize_number(number: str) -> str:
    """WhatsApp numbers as digits only, country code first (wa_id form)."""
    return "".join(ch for ch in number if ch.isdigit())


def add_user(
    session: Session,
    workspace: Workspace,
    *,
    role: Role = Role.VIEWER,
    name: str = "",
    slack_user_id: str | None = None,
    whatsapp_number: str | None = None,
    console_name: str | None = None,
    approval_limit: Any = None,
) -> Membership:
    """Create (or find) the user with this identity and give them ``role`` in ``workspace``."""
    user = find_user(
        session,
        slack_user_id=slack_user_id,
        whatsapp_number=whatsapp_number,
        console_name=console_name,
    )
    if user is None:
        user = User(
            name=name,
            slack_user_id=slack_user_id,
            whatsapp_number=normalize_number(whatsapp_number) if whatsapp_number else None,
            console_name=console_name,
        )
        session.add(user)
        session.flush()
    elif name and not user.name:
        user.name = name
    membership = membership_of(session, workspace.id, user.id)
    if membership is None:
        membership = Membership(workspace_id=workspace.id, user_id=user.id, role=role.value)
        session.add(membership)
    else:
        membership.role = role.value
    if approval_limit is not None:
        membership.approval_limit = approval_limit
    session.flush()
    return membership


def membership_of(session: Session, workspace_id: int, user_id: int) -> Membership | None:
    return session.scalar(
        select(Membership).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user_id
        )
    )


def whatsapp_user_with_membership(
    session: Session, number: str
) -> tuple[User, Membership | None] | None:
    """The number's user and their first membership (:func:`first_membership`) in one
    SELECT, not two: every WhatsApp turn asks both. None for a number nobody linked."""
    row = session.execute(
        select(User, Membership)
        .outerjoin(Membership, Membership.user_id == User.id)
        .where(User.whatsapp_number == normalize_number(number))
        .order_by(Membership.id.asc().nulls_last())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def first_membership(session: Session, user_id: int) -> Membership | None:
    """The user's first membership: their workspace and role there, in one SELECT."""
    return session.scalar(
        select(Membership).where(Membership.user_id == user_id).order_by(Membership.id).limit(1)
    )


def workspace_by_id(session: Session, workspace_id: int) -> Workspace:
    """A workspace by id, from the row cache when it is current (every turn needs it)."""
    cache = row_cache(session)
    key = ("workspace", workspace_id)
    cached = cache.get(session, key) if cache is not None else None
    if cached is not None:
        return attach(session, Workspace, cached)
    workspace = session.get_one(Workspace, workspace_id)
    if cache is not None:
        cache.put(session, key, snapshot(workspace))
    return workspace


def workspace_of_user(session: Session, user_id: int) -> Workspace | None:
    """The user's workspace (their first membership): chat identities belong to one tenant."""
    return session.scalar(
        select(Workspace)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == user_id)
        .order_by(Membership.id)
        .limit(1)
    )


def members_with_role(session: Session, workspace_id: int, minimum: Role) -> list[Membership]:
    rows = session.scalars(select(Membership).where(Membership.workspace_id == workspace_id))
    return [m for m in rows if Role(m.role).at_least(minimum)]


# --- conversations -------------------------------------------------------------


def get_or_create_conversation(
    session: Session,
    workspace_id: int,
    channel: str,
    chat_id: str,
    thread_id: str = "",
    *,
    last_inbound_at: datetime | None = None,
) -> Conversation:
    """The chat's conversation; a new one is stored with ``last_inbound_at`` (a turn's
    first message: in its INSERT, not in an UPDATE after it)."""
    stmt = select(Conversation).where(
        Conversation.channel == channel,
        Conversation.chat_id == chat_id,
        Conversation.thread_id == thread_id,
    )
    conversation = session.scalar(stmt)
    if conversation is not None:
        return conversation
    conversation = Conversation(
        workspace_id=workspace_id,
        channel=channel,
        chat_id=chat_id,
        thread_id=thread_id,
        last_inbound_at=last_inbound_at,
    )
    try:
        with session.begin_nested():
            session.add(conversation)
    except IntegrityError:  # created concurrently by another worker
        conversation = session.scalars(stmt).one()
    return conversation


# --- audit --------------------------------------------------------------------


def audit(
    session: Session,
    workspace_id: int,
    *,
    actor: str,
    action: str,
    subject: str = "",
    channel: str = "",
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        workspace_id=workspace_id,
        actor=actor,
        action=action,
        subject=subject,
        channel=channel,
        detail=detail or {},
    )
    if at is not None:
        entry.at = at
    session.add(entry)
    session.flush()
    return entry


def audit_entries(session: Session, workspace_id: int, *, limit: int = 50) -> list[AuditEntry]:
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.workspace_id == workspace_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class Bootstrap:
    workspace_id: int
    ad_account_ids: tuple[int, ...]
