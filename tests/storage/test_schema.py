"""The schema: identical migrations on PostgreSQL and SQLite, tenancy, append-only audit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from storage.db import Database
from storage.migrate import alembic_config, downgrade, upgrade
from storage.models import AppendOnlyViolation, AuditEntry, Message, WorkspaceSettings
from storage.repositories import (
    audit,
    ensure_workspace,
    get_or_create_conversation,
    link_ad_account,
)
from storage.tenancy import CrossTenantWrite


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    upgrade(db_url)
    database = Database(db_url)
    yield database
    database.dispose()


def test_migrations_match_the_models_and_go_down_and_up(db_url: str) -> None:
    upgrade(db_url)
    command.check(alembic_config(db_url))  # raises if models and migrations disagree
    downgrade(db_url, "base")
    upgrade(db_url)


def test_money_round_trips_exactly_and_times_stay_aware(db: Database) -> None:
    with db.session() as session:
        workspace = ensure_workspace(session, "acme")
        prefs = session.scalar(
            select(WorkspaceSettings).where(WorkspaceSettings.workspace_id == workspace.id)
        )
        assert prefs is not None
        prefs.monthly_budget_limit = Decimal("123456789012")
        workspace_id = workspace.id
    with db.session() as session:
        prefs = session.scalar(
            select(WorkspaceSettings).where(WorkspaceSettings.workspace_id == workspace_id)
        )
        assert prefs is not None
        assert prefs.monthly_budget_limit == Decimal("123456789012")
        owner = session.get(type(prefs.workspace), workspace_id)
        assert owner is not None and owner.created_at.tzinfo is not None


def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive"), db.session() as session:
        workspace = ensure_workspace(session, "naive")
        workspace.created_at = datetime(2026, 1, 1)
        session.flush()


def test_a_scoped_session_never_sees_another_workspaces_rows(db: Database) -> None:
    with db.session() as session:
        a = ensure_workspace(session, "agency-a")
        b = ensure_workspace(session, "agency-b")
        for workspace in (a, b):
            conv = get_or_create_conversation(session, workspace.id, "slack", f"C-{workspace.slug}")
            session.add(
                Message(
                    workspace_id=workspace.id,
                    conversation_id=conv.id,
                    role="user",
                    text=workspace.slug,
                )
            )
            link_ad_account(session, workspace.id, f"act_{workspace.id}")
        a_id, b_id = a.id, b.id
    with db.session(a_id) as session:
        texts = session.scalars(select(Message.text)).all()
        assert texts == ["agency-a"]
        # Even a raw ORM query with an explicit filter for the other tenant returns nothing.
        assert session.scalars(select(Message).where(Message.workspace_id == b_id)).all() == []
        # Joins are filtered on every tenant-owned entity.
        from storage.models import Conversation

        joined = session.execute(
            select(Conversation.chat_id, Message.text).join(
                Message, Message.conversation_id == Conversation.id
            )
        ).all()
        assert joined == [("C-agency-a", "agency-a")]
    with db.session(b_id) as session:
        assert session.scalars(select(Message.text)).all() == ["agency-b"]


def test_a_scoped_session_cannot_write_into_another_workspace(db: Database) -> None:
    with db.session() as session:
        a = ensure_workspace(session, "a")
        b = ensure_workspace(session, "b")
        conv = get_or_create_conversation(session, b.id, "console", "x")
        a_id, b_id, conv_id = a.id, b.id, conv.id
    with pytest.raises(CrossTenantWrite), db.session(a_id) as session:
        session.add(Message(workspace_id=b_id, conversation_id=conv_id, role="user", text="sneaky"))
        session.flush()


def test_audit_log_is_append_only_in_orm_and_database(db: Database) -> None:
    with db.session() as session:
        workspace = ensure_workspace(session, "audited")
        entry = audit(
            session, workspace.id, actor="user:1", action="proposal.created", subject="123"
        )
        entry_id = entry.id
    with pytest.raises(AppendOnlyViolation), db.session() as session:
        stored = session.get(AuditEntry, entry_id)
        assert stored is not None
        stored.action = "tampered"
        session.flush()
    with pytest.raises(DBAPIError), db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET action = 'tampered'"))
    with pytest.raises(DBAPIError), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
    with db.session() as session:
        kept = session.get(AuditEntry, entry_id)
        assert kept is not None and kept.action == "proposal.created"


def test_inbound_events_are_unique_per_platform_event(db: Database) -> None:
    from storage.models import InboundEvent

    with db.session() as session:
        session.add(InboundEvent(platform="slack", event_key="Ev1"))
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(InboundEvent(platform="slack", event_key="Ev1"))
    with db.session() as session:  # the same key on another platform is another event
        session.add(InboundEvent(platform="whatsapp", event_key="Ev1"))
        session.flush()
        received = session.scalar(select(InboundEvent.received_at))
        assert received is not None and received.tzinfo == UTC
