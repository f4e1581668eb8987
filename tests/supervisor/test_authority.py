"""An approver's daily authority holds under parallel clicks (real PostgreSQL, threads)."""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

from storage.models import Role
from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace
from supervisor.decide import decide
from tests.supervisor.conftest import World

#: Each card commits about R$ 60,00 a day; each approver may approve R$ 100,00 a day: one
#: card fits, two do not. Three approvers click both of their cards at once.
NEW_BUDGET = 6000
LIMIT = Decimal(10000)
APPROVERS = ("bia", "bruna", "beto")


def budgeted_campaigns(world: World) -> list[str]:
    state = world.sandbox.state  # type: ignore[attr-defined]
    return sorted(
        c.name
        for c in state.campaigns.values()
        if c.status == "ACTIVE" and c.daily_budget and c.daily_budget > NEW_BUDGET + 10
    )


def test_parallel_approvals_cannot_exceed_an_approvers_daily_authority(world: World) -> None:
    with world.rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        for name in APPROVERS[1:]:
            member = add_user(
                session,
                workspace,
                role=Role.APPROVER,
                name=name,
                console_name=name,
                approval_limit=LIMIT,
            )
            world.users[name] = member.user_id
    first, second = budgeted_campaigns(world)[:2]
    cards: list[tuple[str, str]] = []  # (approver, proposal id)
    for offset, approver in enumerate(APPROVERS):  # distinct values: no twin proposals
        for name in (first, second):
            submitted = world.set_budget(name, NEW_BUDGET + offset, user="caio")
            assert submitted.state == "pending"  # a big cut waits for a person
            cards.append((approver, submitted.proposal_id))
    barrier = threading.Barrier(len(cards))
    outcomes: dict[str, list[str]] = {name: [] for name in APPROVERS}
    lock = threading.Lock()

    def click(approver: str, proposal_id: str) -> None:
        barrier.wait(timeout=30)
        decision = decide(
            world.rt,
            world.workspace_id,
            proposal_id,
            user_id=world.users[approver],
            approve=True,
            channel="slack",
        )
        with lock:
            outcomes[approver].append(decision.outcome)

    threads = [threading.Thread(target=click, args=card) for card in cards]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)

    for approver in APPROVERS:
        assert Counter(outcomes[approver]) == {"approved": 1, "over_authority": 1}, approver
        mine = [world.proposal(pid) for who, pid in cards if who == approver]
        decided = [p for p in mine if p.decided_by == world.users[approver]]
        assert len(decided) == 1 and (decided[0].amount or 0) <= LIMIT, approver
    states = Counter(world.proposal(pid).state for _, pid in cards)
    assert states["pending"] == len(APPROVERS)  # the other cards wait for an admin
