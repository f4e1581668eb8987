"""Prompt templates as files: roles, goals, backstories and task texts, with named variants.

``default.yaml`` holds every prompt; a variant file (``<name>.yaml``) overrides any
subset, so variants can be compared per workspace (``WorkspaceSettings.prompt_variant``).
Templates use ``$placeholders`` filled in one pass, so values (user text, campaign
names) are never themselves treated as templates. Untrusted text goes in through
:func:`as_data`, delimited and marked as data.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any

import yaml

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
DEFAULT_VARIANT = "default"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

DATA_OPEN = "<<<DATA"
DATA_CLOSE = "<<<END DATA>>>"
#: How much untrusted text one block may carry into a prompt.
DATA_MAX_CHARS = 4000


def as_data(label: str, text: str, *, limit: int = DATA_MAX_CHARS) -> str:
    """Wrap untrusted ``text`` so the agents read it as data, never as instructions.

    Anything in the text that looks like our delimiters is defused, so a message
    cannot close the block early and smuggle instructions after it.
    """
    clean = text.replace("<<<", "‹‹‹").replace(">>>", "›››")
    if len(clean) > limit:
        clean = clean[:limit] + "…"
    label = re.sub(r"[^a-z0-9_]", "_", label.lower())
    return f'{DATA_OPEN} source="{label}">>>\n{clean}\n{DATA_CLOSE}'


def available_variants() -> list[str]:
    return sorted(path.stem for path in HERE.glob("*.yaml"))


@dataclass(frozen=True)
class AgentPrompt:
    role: str
    goal: str
    backstory: str


@dataclass(frozen=True)
class TaskPrompt:
    description: str
    expected_output: str


class PromptSet:
    """One variant's prompts, rendered for one workspace's values."""

    def __init__(self, name: str, raw: dict[str, Any], values: dict[str, str]) -> None:
        self.name = name
        self._raw = raw
        common = raw.get("common", {})
        base = dict(values)
        # Common blocks are rendered first and then inserted as plain values.
        base["data_rule"] = fill(common.get("data_rule", ""), values).strip()
        base["workspace"] = fill(common.get("workspace", ""), {**values, **base}).strip()
        self.values = base

    def agent(self, key: str) -> AgentPrompt:
        entry = self._raw["agents"][key]
        return AgentPrompt(
            role=fill(entry["role"], self.values).strip(),
            goal=fill(entry["goal"], self.values).strip(),
            backstory=fill(entry["backstory"], self.values).strip(),
        )

    def task(self, key: str, **values: str) -> TaskPrompt:
        entry = self._raw["tasks"][key]
        merged = {**self.values, **values}
        return TaskPrompt(
            description=fill(entry["description"], merged).strip(),
            expected_output=fill(entry["expected_output"], merged).strip(),
        )


def fill(template: str, values: dict[str, str]) -> str:
    """One-pass ``$placeholder`` substitution; unknown placeholders stay as written."""
    return Template(template).safe_substitute(values)


def load_prompts(variant: str | None, values: dict[str, str]) -> PromptSet:
    """The prompts of ``variant`` (falling back to the default) filled with ``values``."""
    name = (variant or DEFAULT_VARIANT).strip().lower()
    if not _NAME.match(name) or not (HERE / f"{name}.yaml").exists():
        logger.warning("prompt variant %r not found; using %r", variant, DEFAULT_VARIANT)
        name = DEFAULT_VARIANT
    return PromptSet(name, _raw(name), values)


@lru_cache(maxsize=16)
def _raw(name: str) -> dict[str, Any]:
    base = _read(DEFAULT_VARIANT)
    if name == DEFAULT_VARIANT:
        return base
    return _merge(base, _read(name))


def _read(name: str) -> dict[str, Any]:
    data = yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"prompt file {name}.yaml must be a mapping")
    return data


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
