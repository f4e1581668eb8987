"""Issue 13, hole 9 (CLI): `mediabrain accounts unlink` and `users remove`, run as an operator.

The operator's commands run as a real ``mediabrain`` process on the same PostgreSQL;
what the people in chat see afterwards goes through the console channel.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from jobs.schedules import load_plans
from storage.models import AdAccount, Membership, User
from tests.mediabrain.test_cli import run
from tests.supervisor.conftest import World
from tests.support.console import say
from vocabulary.inbound import Action


def test_unlinking_an_account_cancels_its_waiting_proposals_and_stops_its_schedules(
    world: World, migrated_pg_url: str, tmp_path: Path
) -> None:
    waiting = world.pause()  # a high-CTR campaign: the pause waits for an approver
    assert (waiting.verdict, waiting.state) == ("approval", "pending")
    assert [p.accounts for p in load_plans(world.rt) if p.id == world.workspace_id] != [()]

    result = run(tmp_path, "accounts", "unlink", world.account_id, database_url=migrated_pg_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"{world.account_id}: unlinked from workspace default; its schedules stop; "
        "1 waiting proposal(s) cancelled\n"
    )

    assert world.proposal(waiting.proposal_id).state == "cancelled"
    with world.rt.db.session() as session:
        assert session.scalars(select(AdAccount)).all() == []
    plan = next(p for p in load_plans(world.rt) if p.id == world.workspace_id)
    assert plan.accounts == ()  # no report, sync or alert is scheduled for it any more
    assert "account.unlinked" in world.actions() and "proposal.cancelled" in world.actions()

    # An approver who clicks the old card is told, and nothing is written to Meta.
    writes = world.writes()
    replies = say(world.rt, action=Action("approval.approve", waiting.proposal_id), user="ana")
    assert "cancelado (conta desvinculada)" in replies[-1].text
    assert world.writes() == writes

    again = run(tmp_path, "accounts", "unlink", world.account_id, database_url=migrated_pg_url)
    assert again.returncode == 2
    assert "not linked to workspace default; nothing was changed" in again.stderr


def test_a_removed_user_is_a_stranger_on_their_next_message(
    world: World, migrated_pg_url: str, tmp_path: Path
) -> None:
    assert "R$" in say(world.rt, "campanhas", user="dani")[-1].text  # a viewer reads reports

    result = run(tmp_path, "users", "remove", "dani", database_url=migrated_pg_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "dani: removed from workspace default (was viewer)\n"
    assert "user.removed" in world.actions()
    with world.rt.db.session() as session:
        dani = session.get_one(User, world.users["dani"])
        assert dani.console_name is None
        assert session.scalars(select(Membership).where(Membership.user_id == dani.id)).all() == []

    missing = run(tmp_path, "users", "remove", "nobody", database_url=migrated_pg_url)
    assert missing.returncode == 2 and "nobody: no such person" in missing.stderr
