"""SQLAlchemy 2.0 typed models: the one schema, identical on PostgreSQL and SQLite.

Every tenant-owned table carries ``workspace_id`` through :class:`TenantScoped`;
:mod:`storage.tenancy` adds the workspace filter to every query of a scoped
session, so one workspace can never read another's rows.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from storage.clock import utcnow
from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Money columns: minor units, exact. 18 digits covers any budget.
Money = Numeric(18, 0)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, Decimal: Numeric(18, 4)}


class Role(StrEnum):
    """Roles per workspace, lowest first; unknown users get the lowest."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    APPROVER = "approver"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


class TenantScoped:
    """Mixin for rows owned by one workspace."""

    @declared_attr
    def workspace_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    slack_team_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    settings: Mapped[WorkspaceSettings] = relationship(
        back_populates="workspace", uselist=False, cascade="all, delete-orphan"
    )


class WorkspaceSettings(TenantScoped, Base):
    """Per-workspace preferences, budgets, KPI targets and policy overrides."""

    __tablename__ = "workspace_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(8), default="pt-BR")
    timezone: Mapped[str] = mapped_column(String(64), default="America/Sao_Paulo")
    currency: Mapped[str] = mapped_column(String(3), default="BRL")
    report_hour: Mapped[int] = mapped_column(Integer, default=18)
    monthly_budget_limit: Mapped[Decimal | None] = mapped_column(Money)
    max_daily_budget: Mapped[Decimal | None] = mapped_column(Money)
    alert_thresholds: Mapped[list[int]] = mapped_column(JSON, default=lambda: [80, 100])
    target_ctr: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))  # percent
    target_cpc: Mapped[Decimal | None] = mapped_column(Money)
    target_cpa: Mapped[Decimal | None] = mapped_column(Money)
    target_roas: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))
    gross_margin: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))  # percent of revenue
    #: Who may act without a person: manual (nobody), assisted (protective changes), autopilot.
    autonomy: Mapped[str] = mapped_column(String(16), default="manual", server_default="manual")
    policy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # industry, tone...
    prompt_variant: Mapped[str] = mapped_column(String(64), default="default")
    # issue 13: the LLM's daily budget (tokens, estimated US$); None = no cap
    llm_daily_tokens: Mapped[int | None] = mapped_column(BigInteger)
    llm_daily_cost_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))
    # issue 18: a monthly limit per ad platform, {"google": "2000000"} (minor units)
    platform_limits: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")

    workspace: Mapped[Workspace] = relationship(back_populates="settings")
    __table_args__ = (UniqueConstraint("workspace_id"),)


class User(Base):
    """A person, known by one or more channel identities."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    slack_user_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    whatsapp_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    console_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Membership(TenantScoped, Base):
    """A user's role in a workspace and their daily spending authority for approvals."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16), default=Role.VIEWER.value)
    approval_limit: Mapped[Decimal | None] = mapped_column(Money)  # per day, minor units
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)


class Conversation(TenantScoped, Base):
    """One chat or thread on one channel; the unit of memory."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(128))
    thread_id: Mapped[str] = mapped_column(String(64), default="")
    language: Mapped[str | None] = mapped_column(String(8))
    summary: Mapped[str] = mapped_column(Text, default="")
    summarized_upto: Mapped[int] = mapped_column(Integer, default=0)  # last message id folded in
    last_inbound_at: Mapped[datetime | None] = mapped_column()
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # e.g. last listed campaigns
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("channel", "chat_id", "thread_id"),)


class PersonMemory(TenantScoped, Base):
    """What a person prefers in a workspace, whatever the chat: tone, default ad account.

    The conversation remembers its own (``Conversation.language``, ``state``); this follows
    the person from Slack to WhatsApp to the console. ``User.language`` is the person's
    language everywhere.
    """

    __tablename__ = "person_memory"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    tone: Mapped[str | None] = mapped_column(String(200))
    ad_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("ad_accounts.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)


class Message(TenantScoped, Base):
    """A turn of a conversation: who said what, with any structured payload."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))  # user | assistant | system
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboundEvent(Base):
    """Every platform event we accepted, unique per platform event: the dedupe ledger."""

    __tablename__ = "inbound_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_key: Mapped[str] = mapped_column(String(191))
    workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="SET NULL")
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="received")
    error_ref: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column()
    # The worker's claim expires: past it, the sweeper settles the event (jobs/reconcile.py).
    lease_until: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    answered_at: Mapped[datetime | None] = mapped_column()  # first reply delivered

    __table_args__ = (
        UniqueConstraint("platform", "event_key"),
        Index("ix_inbound_events_status_lease", "status", "lease_until"),
    )


class RefusedEvent(Base):
    """A platform event refused at the door (the queue away) whose sender was told so.

    Its redelivery, or the same event sent again while the queue is still away, is refused
    without a second notice; once the queue is back it is accepted as usual (nothing here
    stops that). Kept in the database because Redis is the part that is away.
    """

    __tablename__ = "refused_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_key: Mapped[str] = mapped_column(String(191))
    refused_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("platform", "event_key"),)


class AdAccount(TenantScoped, Base):
    __tablename__ = "ad_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), default="meta")
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    currency: Mapped[str] = mapped_column(String(3), default="BRL")
    timezone: Mapped[str] = mapped_column(String(64), default="America/Sao_Paulo")
    access_token_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    token_status: Mapped[str] = mapped_column(String(16), default="ok")  # ok | invalid
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("workspace_id", "platform", "external_id"),)


class AuditEntry(TenantScoped, Base):
    """Append-only record of proposals, decisions, clicks and executions."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(
        String(128)
    )  # "user:12", "schedule:nightly", "agent:optimizer"
    channel: Mapped[str] = mapped_column(String(16), default="")
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(191), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Proposal(TenantScoped, Base):
    """An ActionProposal and its approval lifecycle (compare-and-set transitions)."""

    __tablename__ = "proposals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ad_account_id: Mapped[int | None] = mapped_column(ForeignKey("ad_accounts.id"))
    kind: Mapped[str] = mapped_column(String(32))
    target_level: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(128))
    target_name: Mapped[str] = mapped_column(String(200), default="")
    new_value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    current_value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    proposer_kind: Mapped[str] = mapped_column(String(16))  # user | schedule | agent
    proposer_id: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(16))  # allow | approval | deny
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    amount: Mapped[Decimal | None] = mapped_column(Money)  # daily money at stake
    state: Mapped[str] = mapped_column(String(16), index=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    card_ref: Mapped[str | None] = mapped_column(String(128))
    undo_of: Mapped[str | None] = mapped_column(String(36))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_channel: Mapped[str | None] = mapped_column(String(16))
    decided_at: Mapped[datetime | None] = mapped_column()
    executed_at: Mapped[datetime | None] = mapped_column()
    lease_until: Mapped[datetime | None] = mapped_column()  # while executing
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The figures behind a proposal from the brain (curve, margin, evidence): cards, "por que?".
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class MetricDaily(TenantScoped, Base):
    """Daily insights history per object; recent days stay provisional (attribution lag)."""

    __tablename__ = "metrics_daily"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ad_account_id: Mapped[int] = mapped_column(ForeignKey("ad_accounts.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(16))
    # Google Ads ids are resource names (customers/<id>/adGroupAds/<ad group>~<ad>): ~70 chars.
    object_id: Mapped[str] = mapped_column(String(128))
    object_name: Mapped[str] = mapped_column(String(200), default="")
    campaign_id: Mapped[str | None] = mapped_column(String(128))
    day: Mapped[date] = mapped_column(Date)
    spend: Mapped[Decimal] = mapped_column(Money, default=0)
    impressions: Mapped[int] = mapped_column(BigInteger, default=0)
    clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    reach: Mapped[int] = mapped_column(BigInteger, default=0)
    conversions: Mapped[Decimal] = mapped_column(Numeric(18, 4), default=0)
    revenue: Mapped[Decimal] = mapped_column(Money, default=0)
    provisional: Mapped[bool] = mapped_column(Boolean, default=True)
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("ad_account_id", "level", "object_id", "day"),
        Index("ix_metrics_daily_account_day", "ad_account_id", "day"),
    )


class MetricSnapshot(TenantScoped, Base):
    """What one sync saw of a recent day's account figures: the attribution lag, observed.

    ``metrics_daily`` keeps only the latest figures of each day; these rows keep how
    they grew between syncs, from which the nowcast estimates the account's lag curve.
    """

    __tablename__ = "metric_snapshots"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ad_account_id: Mapped[int] = mapped_column(ForeignKey("ad_accounts.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    age_hours: Mapped[int] = mapped_column(Integer)  # hours after the day ended (account tz)
    spend: Mapped[Decimal] = mapped_column(Money, default=0)
    conversions: Mapped[Decimal] = mapped_column(Numeric(18, 4), default=0)
    revenue: Mapped[Decimal] = mapped_column(Money, default=0)
    observed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("ad_account_id", "day", "age_hours"),
        Index("ix_metric_snapshots_account_day", "ad_account_id", "day"),
    )


class ShadowRule(TenantScoped, Base):
    """A rules-tool rule watched in shadow mode: what it would do each night, never acting."""

    __tablename__ = "shadow_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    ad_account_id: Mapped[int] = mapped_column(ForeignKey("ad_accounts.id", ondelete="CASCADE"))
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL")
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(300))
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)
    started_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    log: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | reported
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Experiment(TenantScoped, Base):
    """An A/B test: its variants (one equal-budget ad set each), design, verdict and cards."""

    __tablename__ = "experiments"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer)  # "teste 2": per workspace
    ad_account_id: Mapped[int] = mapped_column(ForeignKey("ad_accounts.id", ondelete="CASCADE"))
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL")
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))  # copy | creative | audience | refresh
    name: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(8))  # ctr | cvr | cpa | roas
    #: proposed | created | starting | running | winner | inconclusive | stopped_guardrail |
    #: stopped | rejected | applied
    status: Mapped[str] = mapped_column(String(24), default="proposed", index=True)
    segment: Mapped[str] = mapped_column(String(64), default="")
    variants: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    design: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    verdict: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    daily_budget: Mapped[Decimal] = mapped_column(Money)  # per variant, minor units
    cpa_target: Mapped[Decimal | None] = mapped_column(Money)
    campaign_id: Mapped[str | None] = mapped_column(String(128))
    proposals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # setup, start, rollout
    cards: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    started_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("workspace_id", "number"),)


class RunRecord(Base):
    """A unique key per scheduled run or sent notice, so nothing is sent twice."""

    __tablename__ = "run_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(191), unique=True)
    workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16), default="started")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    lease_until: Mapped[datetime | None] = mapped_column()  # while started


class Subscription(TenantScoped, Base):
    """What a chat wants pushed: daily report (hour), budget alerts (thresholds)."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # daily_report | alerts | digest
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    hour: Mapped[int | None] = mapped_column(Integer)
    thresholds: Mapped[list[int] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("conversation_id", "kind"),)


class Learning(TenantScoped, Base):
    """What the crew learned: campaign learnings, winning combinations, best practices."""

    __tablename__ = "learnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(
        String(32)
    )  # campaign | combination | best_practice | decision
    industry: Mapped[str] = mapped_column(String(64), default="")
    objective: Mapped[str] = mapped_column(String(64), default="")
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    impact: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    source: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LlmUsage(TenantScoped, Base):
    """Tokens and estimated cost of one crew run."""

    __tablename__ = "llm_usage"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    flow: Mapped[str] = mapped_column(String(64))
    prompt_variant: Mapped[str] = mapped_column(String(64), default="default")
    model: Mapped[str] = mapped_column(String(128))
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[Decimal] = mapped_column(Numeric(12, 6), default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CrewRun(TenantScoped, Base):
    """One crew run (plan, analysis, copy, answer): request, where it answers, typed result."""

    __tablename__ = "crew_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    flow: Mapped[str] = mapped_column(String(32))
    prompt_variant: Mapped[str] = mapped_column(String(64), default="default")
    model: Mapped[str] = mapped_column(String(128), default="")
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued|running|done|failed
    request: Mapped[str] = mapped_column(Text, default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    destination: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    progress_ref: Mapped[str | None] = mapped_column(String(191))
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error_ref: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    lease_until: Mapped[datetime | None] = mapped_column()  # while running


class OutboundMessage(Base):
    """A message we sent, with its delivery status (WhatsApp status callbacks move it forward)."""

    __tablename__ = "outbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(191))
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(16), default="text")  # text | template | media
    status: Mapped[str] = mapped_column(String(16), default="sent")
    status_at: Mapped[datetime | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: What the message carried to the platform and its status callbacks bring back
    #: (WhatsApp's ``biz_opaque_callback_data``): ``mb:e:<event pk>`` for a turn's reply.
    tracker: Mapped[str | None] = mapped_column(String(191), index=True)

    __table_args__ = (UniqueConstraint("channel", "external_id"),)


class OutboundStatusEvent(Base):
    """Every delivery status callback as it came (the message row keeps only the furthest)."""

    __tablename__ = "outbound_status_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    outbound_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_messages.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(191))
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column()  # when the platform says it happened
    error: Mapped[str | None] = mapped_column(Text)
    applied: Mapped[bool] = mapped_column(Boolean, default=False)  # moved the message forward
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    # A redelivered callback is the same event: kept once.
    __table_args__ = (UniqueConstraint("channel", "external_id", "status", "at"),)


class SlackInstallation(TenantScoped, Base):
    """A Slack team that installed the app (OAuth); the bot token is Fernet-encrypted."""

    __tablename__ = "slack_installations"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")  # "" = none
    team_id: Mapped[str] = mapped_column(String(32), default="")
    team_name: Mapped[str] = mapped_column(String(200), default="")
    enterprise_name: Mapped[str] = mapped_column(String(200), default="")
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    app_id: Mapped[str] = mapped_column(String(32), default="")
    bot_id: Mapped[str] = mapped_column(String(32), default="")
    bot_user_id: Mapped[str] = mapped_column(String(32), default="")
    bot_scopes: Mapped[str] = mapped_column(Text, default="")
    bot_token_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    bot_refresh_token_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    bot_token_expires_at: Mapped[datetime | None] = mapped_column()
    installer_user_id: Mapped[str] = mapped_column(String(32), default="")
    installed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("client_id", "enterprise_id", "team_id"),)


# --- smart alerts (issue 17) -------------------------------------------------------------


class AlertRead(TenantScoped, Base):
    """One hourly read of an account's recent days, as reported at ``read_at``.

    ``totals`` maps each local day (ISO) to ``[spend, impressions, clicks,
    conversions, revenue]`` (money in minor units, as strings): successive
    reads give the hourly series the smart alerts score.
    """

    __tablename__ = "alert_reads"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ad_account_id: Mapped[int] = mapped_column(ForeignKey("ad_accounts.id", ondelete="CASCADE"))
    read_at: Mapped[datetime] = mapped_column()  # the hour boundary the read stands for (UTC)
    totals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    statuses: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # ad id -> status

    __table_args__ = (UniqueConstraint("ad_account_id", "read_at"),)


class AlertState(TenantScoped, Base):
    """An account's incidents (open and recently resolved) and where each was shown."""

    __tablename__ = "alert_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    ad_account_id: Mapped[int] = mapped_column(
        ForeignKey("ad_accounts.id", ondelete="CASCADE"), unique=True
    )
    lifecycle: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: conversation id -> {"seen": [incident ids], "messages": {ref: [incident ids]}}
    deliveries: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    lag: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the fitted lag and its day
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlertChatSettings(TenantScoped, Base):
    """What one chat asked of the smart alerts: mutes until a moment, thresholds per kind."""

    __tablename__ = "alert_chat_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), unique=True
    )
    mutes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # kind or "*" -> ISO until
    thresholds: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # kind -> "0.30"


class PhoneLinkChallenge(TenantScoped, Base):
    """A WhatsApp number waiting to prove its owner wants it linked (issue 13): a one-time code.

    Only the code's keyed hash is stored; the link completes when the number answers it.
    """

    __tablename__ = "phone_link_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), index=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200), default="")
    approval_limit: Mapped[Decimal | None] = mapped_column(Money)  # per day, minor units
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|done|dead
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_via: Mapped[str] = mapped_column(String(16), default="")
    expires_at: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


TENANT_MODELS: tuple[type[Base], ...] = tuple(
    cls
    for cls in (mapper.class_ for mapper in Base.registry.mappers)
    if issubclass(cls, Base) and issubclass(cls, TenantScoped)
)


class AppendOnlyViolation(RuntimeError):
    """Someone tried to change or delete an audit entry."""


def _refuse_change(_mapper: Any, _connection: Any, target: AuditEntry) -> None:
    raise AppendOnlyViolation(f"audit entry {target.id} is append-only")


from sqlalchemy import event  # noqa: E402

event.listen(AuditEntry, "before_update", _refuse_change)
event.listen(AuditEntry, "before_delete", _refuse_change)
