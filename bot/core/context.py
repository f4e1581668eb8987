"""What a handler gets for one turn: who is asking, where, in which language, with what tools."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from storage.memory import ConversationMemory, recall
from storage.models import AdAccount, Conversation, Role, User, Workspace, WorkspaceSettings
from storage.repositories import ad_accounts
from vocabulary.errors import NoAdAccount
from vocabulary.i18n import Locale
from vocabulary.inbound import Inbound
from vocabulary.outbox import Capabilities, Outbox
from vocabulary.replies import Reply

if TYPE_CHECKING:
    from ads.base import AdsPlatform
    from vocabulary.runtime import Runtime


@dataclass
class TurnContext:
    rt: Runtime
    session: Session  # scoped to the workspace
    inbound: Inbound
    workspace: Workspace
    prefs: WorkspaceSettings
    user: User
    role: Role
    conversation: Conversation
    memory: ConversationMemory
    locale: Locale
    outbox: Outbox
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.locale.language

    def t(self, key: str, **params: Any) -> str:
        return self.locale.t(key, **params)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.prefs.timezone)

    @property
    def capabilities(self) -> Capabilities:
        """What the channel of this turn can do (its sender's declaration)."""
        return self.outbox.sender.capabilities

    def say(self, reply: Reply) -> str | None:
        return self.outbox.send(reply)

    def accounts(self) -> list[AdAccount]:
        return ad_accounts(self.session, self.workspace.id)

    def account(self) -> AdAccount:
        """The account this chat works on: the one chosen here ("usar conta …"), else the one
        this person chose last in any chat, else the first."""
        accounts = self.accounts()
        if not accounts:
            raise NoAdAccount(self.workspace.slug)
        chosen = recall(self.session, self.conversation, self.user.id).account_pk
        return next((a for a in accounts if a.id == chosen), accounts[0])

    def ads(self, account: AdAccount | None = None) -> AdsPlatform:
        return self.rt.ads(account or self.account())
