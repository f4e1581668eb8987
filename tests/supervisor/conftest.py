"""A prepared world for supervisor tests: the sandbox, a runtime on real PostgreSQL, people."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from sqlalchemy import select

from ads.base import Campaign, Level
from storage.models import AdAccount, AuditEntry, Proposal, Role
from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace
from supervisor import proposals as P
from supervisor.proposals import Proposer
from supervisor.submit import Submission, submit
from tests.recording import RecordingSender
from vocabulary.inbound import Channel
from vocabulary.runtime import Runtime

#: The demo account's high-CTR campaign (about 2.8% over the last 7 days).
HIGH_CTR = "Promo Relâmpago - Stories"
#: An active campaign with a campaign budget (R$ 400/day) and R$ 2.6k spend in 7 days.
BUDGETED = "Advantage+ Shopping - Sempre Ativo"
#: An active campaign with modest figures (CTR 0.5%, R$ 937 spend in 7 days).
QUIET = "Institucional Vídeo - Marca Aurora"


@dataclass
class World:
    rt: Runtime
    sandbox: object
    workspace_id: int
    account_pk: int
    account_id: str
    users: dict[str, int] = field(default_factory=dict)
    sender: RecordingSender = field(default_factory=RecordingSender)

    def campaign(self, name: str) -> Campaign:
        with self.rt.db.session(self.workspace_id) as session:
            account = session.get(AdAccount, self.account_pk)
        assert account is not None
        ads = self.rt.ads(account)
        return next(c for c in ads.inner.list_campaigns(self.account_id) if c.name == name)  # type: ignore[attr-defined]

    def status(self, campaign_id: str) -> str:
        return self.sandbox.state.campaign(campaign_id).status  # type: ignore[attr-defined]

    def budget(self, campaign_id: str) -> int | None:
        return self.sandbox.state.campaign(campaign_id).daily_budget  # type: ignore[attr-defined]

    def writes(self) -> int:
        """Write requests the sandbox received (status and budget changes, creations)."""
        stats = self.sandbox.stats  # type: ignore[attr-defined]
        return sum(
            n for route, n in stats.snapshot()["by_route"].items() if route.startswith("POST")
        )

    def proposal(self, proposal_id: str) -> Proposal:
        with self.rt.db.session(self.workspace_id) as session:
            row = session.get(Proposal, proposal_id)
            assert row is not None
            return row

    def audit(self) -> list[AuditEntry]:
        with self.rt.db.session(self.workspace_id) as session:
            return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))

    def actions(self, proposal_id: str | None = None) -> list[str]:
        return [
            e.action
            for e in self.audit()
            if proposal_id is None or (e.detail or {}).get("proposal") == proposal_id
        ]

    def pause(
        self, name: str = HIGH_CTR, *, user: str = "ana", proposer: Proposer | None = None
    ) -> Submission:
        campaign = self.campaign(name)
        proposal = P.pause(
            Level.CAMPAIGN,
            campaign.id,
            campaign.name,
            current_status=campaign.status.value,
            reason="test",
            proposer=proposer or Proposer("user", str(self.users[user])),
        )
        return submit(self.rt, self.workspace_id, self.account_pk, proposal, channel="console")

    def set_budget(
        self, name: str, new: int, *, user: str = "ana", proposer: Proposer | None = None
    ) -> Submission:
        campaign = self.campaign(name)
        proposal = P.set_budget(
            Level.CAMPAIGN,
            campaign.id,
            campaign.name,
            new_budget=Decimal(new),
            current_budget=campaign.daily_budget,
            reason="test",
            proposer=proposer or Proposer("user", str(self.users[user])),
        )
        return submit(self.rt, self.workspace_id, self.account_pk, proposal, channel="console")


PEOPLE = {
    "ana": (Role.ADMIN, None),
    "bia": (Role.APPROVER, Decimal(10000)),  # may approve R$ 100,00 a day
    "edu": (Role.APPROVER, None),
    "caio": (Role.OPERATOR, None),
    "dani": (Role.VIEWER, None),
}


def build_world(rt: Runtime, sandbox: object) -> World:
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        users = {}
        for name, (role, limit) in PEOPLE.items():
            membership = add_user(
                session, workspace, role=role, name=name, console_name=name, approval_limit=limit
            )
            users[name] = membership.user_id
        account = session.scalars(
            select(AdAccount).where(AdAccount.workspace_id == workspace.id)
        ).one()
        world = World(rt, sandbox, workspace.id, account.id, account.external_id, users)
    rt.set_sender(Channel.CONSOLE, world.sender)
    return world


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> Iterator[str]:
    """A migrated PostgreSQL database, copied for each test (migrating takes seconds)."""
    import psycopg

    from storage.migrate import upgrade

    name = f"mb_tmpl_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    upgrade(f"{pg_server.rsplit('/', 1)[0]}/{name}")
    yield name
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def migrated_pg_url(pg_server: str, pg_template: str) -> Iterator[str]:
    """A fresh, already migrated PostgreSQL database for one test."""
    import psycopg

    name = f"mb_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    yield f"{pg_server.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def world(make_runtime, migrated_pg_url: str, sandbox) -> Iterator[World]:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=migrated_pg_url, migrate=False)
    yield build_world(rt, sandbox)
