"""Typed task outputs: an agent's answer must parse as its model, or it tries again.

CrewAI calls a task's guardrail with the raw answer; returning ``(False, why)``
sends the agent back with the reason (up to the task's retry limit). We parse
the JSON ourselves (tolerating code fences and prose around it), validate it
with pydantic (Meta's length limits live in the models) and run any extra
check, so nothing untyped reaches the flow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
Check = Callable[[Any], str | None]

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


class UnparsableOutput(ValueError):
    """The agent's answer is not the JSON object its task asked for."""


def extract_json(raw: str) -> Any:
    """The first JSON object in ``raw`` (inside a code fence, or between the outer braces)."""
    text = raw.strip()
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    start, end = text.find("{"), text.rfind("}")
    if start == -1 or end <= start:
        raise UnparsableOutput("no JSON object found")
    try:
        return json.loads(text[start : end + 1])
    except json.JSONDecodeError as exc:
        raise UnparsableOutput(f"invalid JSON: {exc.msg}") from exc


def parse_output(model: type[M], raw: str) -> M:
    return model.model_validate(extract_json(raw))


def explain(exc: ValidationError) -> str:
    """Validation errors as short lines an LLM can act on."""
    lines = []
    for error in exc.errors()[:8]:
        where = ".".join(str(part) for part in error["loc"]) or "answer"
        message = error["msg"]
        if error["type"] == "string_too_long":
            value = error.get("input")
            length = len(value) if isinstance(value, str) else "?"
            limit = (error.get("ctx") or {}).get("max_length")
            message = f"is {length} characters, the limit is {limit}; rewrite it shorter"
        lines.append(f"- {where}: {message}")
    return "Your answer did not validate:\n" + "\n".join(lines)


def typed(model: type[BaseModel], check: Check | None = None) -> Callable[[Any], tuple[bool, Any]]:
    """A CrewAI guardrail that accepts only answers that validate as ``model`` (and ``check``)."""

    # No return annotation: CrewAI inspects it at runtime and postponed
    # annotations (a string here) would fail its tuple[bool, Any] check.
    def guardrail(output: Any):  # type: ignore[no-untyped-def]
        try:
            value = parse_output(model, output.raw)
        except UnparsableOutput as exc:
            return False, f"Answer with one JSON object only ({exc})."
        except ValidationError as exc:
            return False, explain(exc)
        if check is not None:
            problem = check(value)
            if problem:
                return False, problem
        return True, output.model_copy(update={"raw": value.model_dump_json(), "pydantic": value})

    return guardrail
