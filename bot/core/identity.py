"""Who is talking: channel identity → user → workspace and role.

The core knows no channel's people. Each adapter describes how its people are
found (a :class:`ChannelIdentity`: a Slack user in a Slack team, a linked
WhatsApp number, the console's login) and the composition root registers it
with :func:`register_identity`; here only the common order lives.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Conversation, Membership, Role, User, Workspace, WorkspaceSettings
from storage.repositories import (
    DEFAULT_WORKSPACE,
    ensure_workspace,
    first_membership,
    workspace_by_id,
    workspace_of_user,
)
from vocabulary.inbound import Channel, Inbound

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Identity:
    workspace_id: int
    user_id: int
    role: Role
    #: The rows read to find them (user, workspace): the session holds rows weakly, and the
    #: turn answering in the same session then reads them from memory, not again.
    rows: tuple[object, ...] = field(default=(), compare=False, repr=False)


def _no_workspace(session: Session, inbound: Inbound) -> Workspace | None:
    return None


def _no_language(inbound: Inbound) -> str | None:
    return None


@dataclass(frozen=True)
class ChannelIdentity:
    """How one channel's people are found; declared by the channel's adapter."""

    #: The person behind ``inbound``, creating a first contact where the channel allows it;
    #: None when the channel does not know them (the core sends the onboarding reply).
    identify: Callable[[Session, Inbound], Identity | None]
    #: The stored user behind ``inbound``, read-only (None for a first contact).
    find_user: Callable[[Session, Inbound], User | None]
    #: The workspace the platform itself names (a Slack team), read-only.
    named_workspace: Callable[[Session, Inbound], Workspace | None] = _no_workspace
    #: The language for someone nobody linked yet (a WhatsApp number's country), if any.
    stranger_language: Callable[[Inbound], str | None] = _no_language


_channels: dict[Channel, ChannelIdentity] = {}


def register_identity(channel: Channel, identity: ChannelIdentity) -> None:
    """Install how ``channel``'s people are found (the composition root does, per adapter)."""
    _channels[channel] = identity


def channel_identity(channel: Channel) -> ChannelIdentity:
    try:
        return _channels[channel]
    except KeyError:
        raise LookupError(f"no identity lookup registered for channel {channel.value}") from None


def resolve_identity(session: Session, inbound: Inbound) -> Identity | None:
    return channel_identity(inbound.channel).identify(session, inbound)


def identity_of(session: Session, user: User) -> Identity:
    """A known user's workspace (their first membership, else the default one) and role.

    The membership (the role) is read every time, so a changed role or a removal counts
    from the next message on; the workspace row comes from the row cache
    (storage/rowcache.py), which any write to it empties first.
    """
    return identity_with(session, user, first_membership(session, user.id))


def identity_with(session: Session, user: User, membership: Membership | None) -> Identity:
    """:func:`identity_of` for a caller that read the user's first membership already."""
    if membership is None:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        return Identity(workspace.id, user.id, Role.VIEWER, rows=(user, workspace))
    workspace = workspace_by_id(session, membership.workspace_id)
    return Identity(workspace.id, user.id, Role(membership.role), rows=(user, workspace))


def reply_language(session: Session, inbound: Inbound, default: str) -> str:
    """The language for words sent before the core runs (acks, queue errors, onboarding).

    The same order as the core's (the person's, the conversation's, the workspace's);
    then what the channel knows of a stranger (a WhatsApp number's country). Read-only:
    nothing is created for a first contact here.
    """
    people = channel_identity(inbound.channel)
    user = people.find_user(session, inbound)
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
    workspace = people.named_workspace(session, inbound)
    if workspace is None and user is not None:
        workspace = workspace_of_user(session, user.id)
    if workspace is not None:
        language = session.scalar(
            select(WorkspaceSettings.language).where(WorkspaceSettings.workspace_id == workspace.id)
        )
        if language:
            return language
    if user is None:
        return people.stranger_language(inbound) or default
    return default
