"""Find the campaign a user means from loose words ("black friday") or a list number ("3")."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from vocabulary.parsing import normalize


class Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


@dataclass(frozen=True)
class Resolution(Generic[T]):
    match: T | None
    candidates: tuple[T, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.match is None and len(self.candidates) > 1


def resolve(query: str, items: Sequence[T], listed_ids: Sequence[str] = ()) -> Resolution[T]:
    """Exact id, list number, exact name, all words contained, then fuzzy similarity."""
    q = normalize(query).removeprefix("#").strip()
    by_id = {item.id: item for item in items}
    if q.startswith("id:") and q[3:].strip() in by_id:
        return Resolution(by_id[q[3:].strip()])
    if q.isdigit() and listed_ids:
        index = int(q) - 1
        if 0 <= index < len(listed_ids) and listed_ids[index] in by_id:
            return Resolution(by_id[listed_ids[index]])
    if q in by_id:
        return Resolution(by_id[q])
    names = {item.id: normalize(item.name) for item in items}
    exact = [item for item in items if names[item.id] == q]
    if len(exact) == 1:
        return Resolution(exact[0])
    words = [w for w in q.split() if len(w) > 1]
    containing = [item for item in items if words and all(w in names[item.id] for w in words)]
    if len(containing) == 1:
        return Resolution(containing[0])
    if len(containing) > 1:
        return Resolution(None, tuple(containing))
    scored = sorted(
        ((difflib.SequenceMatcher(None, q, names[item.id]).ratio(), item) for item in items),
        key=lambda pair: pair[0],
        reverse=True,
    )
    close = [item for score, item in scored if score >= 0.6]
    if len(close) == 1 or (close and scored[0][0] - scored[1][0] > 0.15):
        return Resolution(close[0])
    return Resolution(None, tuple(close[:5]))
