"""Many clicks at once on one approval, from threads and from processes: exactly one write."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from pathlib import Path

import pytest
from rq import Queue, SimpleWorker

from supervisor.decide import decide
from supervisor.executor import execute
from tests.supervisor.conftest import HIGH_CTR, World, build_world
from tests.supervisor.procs import approve_in_process

CLICKS = 8


def test_concurrent_approvals_from_threads_write_once(world: World) -> None:
    submission = world.pause()
    barrier = threading.Barrier(CLICKS)
    outcomes: list[str] = []
    lock = threading.Lock()
    approvers = [world.users["ana"], world.users["edu"]]

    def click(index: int) -> None:
        barrier.wait(timeout=30)
        decision = decide(
            world.rt,
            world.workspace_id,
            submission.proposal_id,
            user_id=approvers[index % 2],
            approve=True,
            channel="slack",
        )
        with lock:
            outcomes.append(decision.outcome)

    threads = [threading.Thread(target=click, args=(i,)) for i in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Counter(outcomes) == {"approved": 1, "already": CLICKS - 1}
    assert world.writes() == 1
    assert world.status(world.campaign(HIGH_CTR).id) == "PAUSED"
    actions = Counter(world.actions(submission.proposal_id))
    assert actions["proposal.approved"] == 1 and actions["proposal.executed"] == 1
    assert actions["approval.ignored"] == CLICKS - 1


@pytest.mark.slow
def test_concurrent_approvals_from_processes_write_once(world: World, tmp_path: Path) -> None:
    submission = world.pause()
    context = multiprocessing.get_context("spawn")
    processes = 3
    barrier = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(
            target=approve_in_process,
            args=(
                world.rt.settings.effective_database_url,
                world.sandbox.url,  # type: ignore[attr-defined]
                str(tmp_path / f"p{i}"),
                world.workspace_id,
                submission.proposal_id,
                world.users["edu" if i % 2 else "ana"],
                barrier,
                results,
            ),
        )
        for i in range(processes)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=90) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert Counter(outcomes) == {"approved": 1, "already": processes - 1}, outcomes
    assert world.writes() == 1
    assert world.proposal(submission.proposal_id).state == "executed"
    assert world.status(world.campaign(HIGH_CTR).id) == "PAUSED"


def test_on_redis_the_job_id_is_the_proposal_id_and_reruns_are_harmless(
    make_runtime, migrated_pg_url: str, redis_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(
        sandbox=sandbox, database_url=migrated_pg_url, redis_url=redis_url, migrate=False
    )
    world = build_world(rt, sandbox)
    submission = world.pause()
    decision = decide(
        rt,
        world.workspace_id,
        submission.proposal_id,
        user_id=world.users["ana"],
        approve=True,
        channel="slack",
    )
    assert decision.outcome == "approved"
    queue = Queue("high", connection=rt.redis)
    assert queue.job_ids == [submission.proposal_id]
    assert world.proposal(submission.proposal_id).state == "approved"  # queued, not yet run
    assert world.writes() == 0
    SimpleWorker([queue], connection=rt.redis).work(burst=True)
    assert world.proposal(submission.proposal_id).state == "executed"
    assert world.writes() == 1
    # The same job again (a redelivery): the executor finds nothing to claim.
    queue.enqueue("jobs.execute.execute_proposal", submission.proposal_id, world.workspace_id)
    SimpleWorker([queue], connection=rt.redis).work(burst=True)
    assert execute(rt, world.workspace_id, submission.proposal_id) == "executed"
    assert world.writes() == 1
