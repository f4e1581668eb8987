"""An operator types "ativar black friday" (R$ 900/day): a card, the approvers' authority, the max.

The requests a person would send on the console; the sandbox's "Black Friday - Conversão"
is paused with a R$ 900,00 daily budget.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from storage.models import Proposal, Role, WorkspaceSettings
from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace
from tests.support.console import say
from vocabulary.inbound import Action

BLACK_FRIDAY = "Black Friday - Conversão"


def campaign(sandbox: Any) -> Any:
    return next(c for c in sandbox.state.campaigns.values() if c.name == BLACK_FRIDAY)


def people(rt: Any) -> None:
    say(rt, "ajuda")  # the console's admin sets the workspace up
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        add_user(session, workspace, role=Role.OPERATOR, name="olga", console_name="olga")
        add_user(
            session,
            workspace,
            role=Role.APPROVER,
            name="bia",
            console_name="bia",
            approval_limit=Decimal(10000),  # R$ 100,00 a day
        )


def the_proposal(rt: Any) -> Proposal:
    with rt.db.session() as session:
        return session.scalars(select(Proposal)).one()


def test_resuming_900_a_day_waits_for_an_approver_with_that_authority(
    make_runtime: Any, sandbox: Any, sqlite_url: str
) -> None:
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    people(rt)
    assert campaign(sandbox).status == "PAUSED" and campaign(sandbox).daily_budget == 90000

    card = "\n".join(r.text for r in say(rt, "ativar a campanha black friday", user="olga"))
    assert "Reativar volta a gastar R$ 900,00 por dia" in card
    assert "a partir de R$ 500,00 precisa de aprovação" in card
    proposal = the_proposal(rt)
    assert (proposal.state, proposal.amount) == ("pending", Decimal(90000))
    assert campaign(sandbox).status == "PAUSED"

    refused = say(rt, user="bia", action=Action("approval.approve", proposal.id))
    assert "R$ 900,00" in refused[0].text and "R$ 100,00" in refused[0].text
    assert the_proposal(rt).state == "pending" and campaign(sandbox).status == "PAUSED"

    say(rt, user="ana", action=Action("approval.approve", proposal.id))  # an admin may
    assert campaign(sandbox).status == "ACTIVE"


def test_resuming_above_the_workspace_maximum_is_refused(
    make_runtime: Any, sandbox: Any, sqlite_url: str
) -> None:
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    people(rt)
    with rt.db.session() as session:
        session.scalars(select(WorkspaceSettings)).one().max_daily_budget = Decimal(50000)

    said = "\n".join(r.text for r in say(rt, "ativar a campanha black friday", user="olga"))
    assert "acima do orçamento diário máximo do workspace (R$ 500,00)" in said
    assert the_proposal(rt).state == "denied"
    assert campaign(sandbox).status == "PAUSED"
