"""Nothing but the supervisor's executor may call the platform's write methods."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITES = {
    "create_campaign",
    "create_adset",
    "create_creative",
    "create_ad",
    "set_status",
    "set_daily_budget",
}
#: The ads layer implements the writes; the executor is the one caller; tests and benches
#: exercise the connector directly.
ALLOWED = ("ads/", "supervisor/executor.py", "tests/", "bench/", ".venv/")


def test_only_the_executor_calls_platform_writes() -> None:
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(ALLOWED) or "/." in f"/{relative}":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
            ):
                offenders.append(f"{relative}:{node.lineno} {node.func.attr}")
    assert offenders == []
