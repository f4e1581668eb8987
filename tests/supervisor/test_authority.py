"""An approver's daily authority holds under parallel clicks (real PostgreSQL, two threads)."""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

from supervisor.decide import approved_today, decide
from tests.supervisor.conftest import World

#: Each card commits R$ 60,00 a day; Bia may approve R$ 100,00 a day: one fits, not two.
NEW_BUDGET = 6000


def budgeted_campaigns(world: World) -> list[str]:
    state = world.sandbox.state  # type: ignore[attr-defined]
    return sorted(
        c.name
        for c in state.campaigns.values()
        if c.status == "ACTIVE" and c.daily_budget and c.daily_budget > NEW_BUDGET
    )


def test_two_parallel_approvals_cannot_exceed_the_approvers_daily_authority(
    world: World,
) -> None:
    first, second = budgeted_campaigns(world)[:2]
    pending = [world.set_budget(name, NEW_BUDGET, user="caio") for name in (first, second)]
    assert [s.state for s in pending] == ["pending", "pending"]  # big cuts wait for a person
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def click(proposal_id: str) -> None:
        barrier.wait(timeout=30)
        decision = decide(
            world.rt,
            world.workspace_id,
            proposal_id,
            user_id=world.users["bia"],
            approve=True,
            channel="slack",
        )
        with lock:
            outcomes.append(decision.outcome)

    threads = [threading.Thread(target=click, args=(s.proposal_id,)) for s in pending]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Counter(outcomes) == {"approved": 1, "over_authority": 1}
    with world.rt.db.session(world.workspace_id) as session:
        used = approved_today(session, world.users["bia"], "America/Sao_Paulo", world.rt.now())
    assert used == Decimal(NEW_BUDGET) <= Decimal(10000)
    states = sorted(world.proposal(s.proposal_id).state for s in pending)
    assert states == ["executed", "pending"]  # the other card waits for an admin
