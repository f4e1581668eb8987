"""The lockfiles cover pyproject.toml: `make` installs from them alone, so a dependency added
without `make lock` would be missing on a fresh clone."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def pins(lockfile: str) -> dict[str, str]:
    text = (ROOT / lockfile).read_text(encoding="utf-8")
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


def unmet(requirements: list[str], pinned: dict[str, str]) -> list[str]:
    out = []
    for line in requirements:
        requirement = Requirement(line)
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            out.append(f"{line} (locked: {version})")
    return out


def test_every_dependency_is_pinned_with_a_hash_in_the_lockfiles() -> None:
    runtime, dev = PROJECT["dependencies"], PROJECT["optional-dependencies"]["dev"]
    assert unmet(runtime, pins("requirements.lock")) == [], "run `make lock`"
    assert unmet(runtime + dev, pins("requirements-dev.lock")) == [], "run `make lock`"
    for lockfile in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lockfile).read_text(encoding="utf-8")
        assert text.count("==") <= text.count("--hash=sha256:"), lockfile
