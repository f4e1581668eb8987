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
