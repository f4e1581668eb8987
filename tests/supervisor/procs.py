"""Code run in separate processes by the concurrency tests (importable by name for spawn)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def approve_in_process(
    database_url: str,
    sandbox_url: str,
    data_dir: str,
    workspace_id: int,
    proposal_id: str,
    user_id: int,
    barrier: Any,
    results: Any,
) -> None:
    """A separate worker process: its own runtime, engine and connector; click at the barrier."""
    from mediabrain.runtime import build_runtime
    from supervisor.decide import decide
    from vocabulary.runtime import set_runtime
    from vocabulary.settings import Settings

    settings = Settings(
        database_url=database_url, sandbox="on", meta_graph_url=sandbox_url, data_dir=Path(data_dir)
    )
    rt = build_runtime(settings)
    set_runtime(rt)
    try:
        rt.now()  # warm up: connections and the clock before the race
        barrier.wait(timeout=60)
        decision = decide(
            rt, workspace_id, proposal_id, user_id=user_id, approve=True, channel="slack"
        )
        results.put(decision.outcome)
    except Exception as exc:  # the parent asserts on what every process reports
        results.put(f"error: {type(exc).__name__}: {exc}")
    finally:
        rt.close()
