"""Flow "write copy": headline and primary-text variations within Meta's limits.

The Copywriter writes in the workspace's language and tone; the typed guardrail
rejects any variation over the limits (headline 40, primary text 125,
description 30 characters), and an answer with another count than asked or with
repeated headlines or texts ("escreva 5 headlines" means 5 different ones), and
sends the agent back to rewrite it. Worker-only.
"""

from __future__ import annotations

from collections.abc import Callable

from crewai.flow.flow import Flow, start
from pydantic import BaseModel

from crews.agents import make_agent
from crews.kit import CrewKit
from crews.models import CopySet, CopyVariation


def _key(text: str) -> str:
    """Two texts that differ only in case, spacing or punctuation are the same text."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def repeated(variations: list[CopyVariation]) -> list[str]:
    """Headlines or primary texts that appear more than once (as first written)."""
    seen: dict[str, str] = {}
    repeats: list[str] = []
    for variation in variations:
        for text in (variation.headline, variation.primary_text):
            key = _key(text)
            if key in seen and seen[key] not in repeats:
                repeats.append(seen[key])
            seen.setdefault(key, text)
    return repeats


def count_check(count: int) -> Callable[[CopySet], str | None]:
    """The guardrail's feedback when the set is not exactly ``count`` distinct variations."""

    def check(copies: CopySet) -> str | None:
        problems = []
        if len(copies.variations) != count:
            problems.append(
                f"- write exactly {count} variations (you wrote {len(copies.variations)})"
            )
        for text in repeated(copies.variations):
            problems.append(f'- "{text}" repeats: every headline and text must be different')
        return "Your answer did not validate:\n" + "\n".join(problems) if problems else None

    return check


class CopyState(BaseModel):
    request: str = ""
    learnings: str = ""
    count: int = 5
    copies: CopySet | None = None


class CopyFlow(Flow[CopyState]):
    _skip_auto_memory: bool = True

    def __init__(self, kit: CrewKit) -> None:
        super().__init__(suppress_flow_events=True)
        self.kit = kit

    @start()
    def copywriter(self) -> CopySet:
        kit, state = self.kit, self.state
        with kit.timed("write_copy"):
            agent = make_agent(kit, "copywriter")
            state.copies = kit.typed_step(
                agent,
                "write_copy",
                CopySet,
                values={
                    "request": state.request,
                    "learnings": state.learnings,
                    "count": str(state.count),
                },
                check=count_check(state.count),  # type: ignore[arg-type]
            )
        return state.copies
