"""The README tells the truth: every setting is in its table, and the quick start is two commands."""

from __future__ import annotations

from pathlib import Path

from vocabulary.settings import Settings

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_has_a_line_in_the_readme_table() -> None:
    missing = [
        f"MEDIABRAIN_{name.upper()}"
        for name in Settings.model_fields
        if f"`MEDIABRAIN_{name.upper()}`" not in README
    ]
    assert missing == []


def test_quick_start_is_the_two_make_targets_and_ci_runs_the_test_one() -> None:
    assert "make chat" in README and "make test" in README
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


# --- issue 15: what a team needs to go live ------------------------------------------------

ROOT = Path(__file__).parents[1]


def test_env_example_lists_every_setting_and_is_generated() -> None:
    import subprocess
    import sys

    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert [n for n in Settings.model_fields if f"# MEDIABRAIN_{n.upper()}=" not in example] == []
    fresh = subprocess.run(
        [sys.executable, "scripts/env_example.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    ).stdout
    assert fresh == example  # regenerate with: python scripts/env_example.py > .env.example


def test_every_file_the_readme_and_the_manifest_link_exists() -> None:
    import re

    manifest = (ROOT / "slack_manifest.yaml").read_text(encoding="utf-8")
    linked = re.findall(r"\]\(((?!https?:|#)[^)#]+)", README) + re.findall(
        r"see (docs/\S+?)\)", manifest
    )
    assert linked and [p for p in linked if not (ROOT / p).exists()] == []
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
