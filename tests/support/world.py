"""A small world for the schedule and sync tests: the sandbox, two workspaces in two timezones,
two admins.

``loja`` is the default workspace (São Paulo, BRL, the demo account) with
admin Ana on the console; ``goods`` is in New York (USD, the sandbox's second
account) with admin Bob, who reads English. Each conftest that needs it wraps
:func:`build_world` in a ``make_world`` fixture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from storage.models import AdAccount, Role, User
from storage.repositories import add_user, ensure_workspace, link_ad_account, workspace_settings
from tests.recording import RecordingSender
from tests.support.console import say
from vocabulary.inbound import Channel
from vocabulary.replies import Reply
from vocabulary.runtime import Runtime


@dataclass
class World:
    rt: Runtime
    sandbox: Any
    sender: RecordingSender
    ws1: int
    ws2: int
    account1: int
    account2: int
    said: list[Reply] = field(default_factory=list)

    def say(self, text: str, user: str = "ana") -> list[Reply]:
        """Type a line on the console as ``user`` (handled in-process, synchronously)."""
        return say(self.rt, text, user=user, at=self.sandbox.now())

    def to(self, chat_id: str) -> list[Reply]:
        return [reply for dest, reply in self.sender.sent if dest.chat_id == chat_id]

    def kinds(self, chat_id: str) -> list[str]:
        return [reply.kind for reply in self.to(chat_id)]

    def advance(self, **delta: float) -> datetime:
        """Move the sandbox clock and run what became due; no scheduled job may fail."""
        from jobs import runs
        from jobs.schedules import run_due

        moment = self.sandbox.advance_clock(**delta)
        run_due(self.rt)
        failed = [r.key for r in runs.records(self.rt.db, "") if r.status == runs.FAILED]
        assert not failed, f"scheduled jobs failed: {failed}"
        return moment

    def set_limit(self, workspace_id: int, major: int | None) -> None:
        with self.rt.db.session(workspace_id) as session:
            prefs = workspace_settings(session, workspace_id)
            prefs.monthly_budget_limit = Decimal(major * 100) if major is not None else None

    def report_at(self, workspace_id: int, hour: int) -> None:
        """Move the workspace's daily report (tests about other jobs keep it out of the way)."""
        with self.rt.db.session(workspace_id) as session:
            workspace_settings(session, workspace_id).report_hour = hour


def build_world(
    make_runtime: Callable[..., Runtime],
    sandbox: Any,
    database_url: str,
    **settings: Any,
) -> World:
    """The two-workspace world on ``database_url``, primed so no job is overdue."""
    rt = make_runtime(sandbox=sandbox, database_url=database_url, **settings)
    sender = RecordingSender()
    rt.set_sender(Channel.CONSOLE, sender)
    with rt.db.session() as session:
        loja = ensure_workspace(session)
        goods = ensure_workspace(
            session,
            "goods",
            name="Aurora Goods",
            language="en",
            timezone="America/New_York",
            currency="USD",
        )
        link_ad_account(
            session,
            goods.id,
            "act_1000000002",
            name="Aurora Goods US (demo)",
            currency="USD",
            timezone="America/New_York",
        )
        add_user(session, loja, role=Role.ADMIN, name="Ana", console_name="ana")
        bob = add_user(session, goods, role=Role.ADMIN, name="Bob", console_name="bob")
        bob_user = session.get(User, bob.user_id)
        assert bob_user is not None
        bob_user.language = "en"
        accounts = {a.workspace_id: a.id for a in session.query(AdAccount)}
        ws1, ws2 = loja.id, goods.id
    world = World(rt, sandbox, sender, ws1, ws2, accounts[ws1], accounts[ws2])
    # Each admin has talked to us once, so the pushes know where to find them.
    world.say("oi", "ana")
    world.say("hi", "bob")
    from jobs.schedules import prime

    prime(rt)
    sender.sent.clear()
    return world
