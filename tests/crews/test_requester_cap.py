"""A crew run can do no more than the person who started it, judged when its agent proposes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import CrewRun, Membership, Proposal, Role, WorkspaceSettings
from tests.crews.fake_llm import FakeLLM, tool_results
from tests.crews.script import CrewScript
from tests.support.console import say_accepted


def writes(sandbox: Any) -> int:
    return int(sandbox.stats.count("POST") + sandbox.stats.count("DELETE"))


def test_an_analysis_whose_requester_lost_the_operator_role_proposes_nothing_that_runs(
    crew_rt: Any, fake_llm: FakeLLM, script: CrewScript, sandbox: Any
) -> None:
    with crew_rt.db.session() as session:  # agents act alone here: only the cap stands in the way
        session.scalars(select(WorkspaceSettings)).one().autonomy = "autopilot"
    demoted: list[bool] = []

    def revoke_then_answer(body: dict[str, Any]) -> Any:
        if not demoted:  # an admin makes ana a viewer while her analysis is running
            with crew_rt.db.session() as session:
                session.scalars(select(Membership)).one().role = Role.VIEWER.value
            demoted.append(True)
        return script(body)

    fake_llm.script = revoke_then_answer
    say_accepted(crew_rt, "analise minhas campanhas da última semana")

    with crew_rt.db.session() as session:
        run = session.scalars(select(CrewRun)).one()
        rows = list(session.scalars(select(Proposal)))
    assert run.status == "done" and run.user_id is not None  # the requester, recorded
    assert rows and {(p.proposer_kind, p.state) for p in rows} == {("agent", "denied")}
    assert all(p.warnings[0]["key"] == "supervisor.deny.requester_role" for p in rows)
    assert writes(sandbox) == 0
    told = [r for c in fake_llm.calls for r in tool_results(c.messages) if "will not run" in r]
    assert told and "does not have (any more) the operator role" in told[0]
