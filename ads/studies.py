"""Split tests (Meta ad studies) as platform-neutral values, and who can run them.

A split test randomises *people* between cells, so the cells' audiences never overlap:
the right tool when the variable is the audience or the placement (README, "A/B tests").
Only connectors that can run one offer :class:`SplitTesting`; callers ask
``supports_studies`` first (Google Ads experiments work differently and are not used).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class StudyCell:
    name: str
    treatment_percentage: int  # whole percent; the cells add up to 100
    adset_ids: tuple[str, ...]


@dataclass(frozen=True)
class StudyDraft:
    name: str
    start_time: datetime
    end_time: datetime
    cells: tuple[StudyCell, ...]
    description: str = ""


@dataclass(frozen=True)
class Study:
    id: str
    name: str
    start_time: datetime | None
    end_time: datetime | None
    cells: tuple[StudyCell, ...]
    canceled: bool = False


@runtime_checkable
class SplitTesting(Protocol):
    """A connector that can create, read and end split tests."""

    @property
    def supports_studies(self) -> bool: ...

    def create_study(self, account_id: str, draft: StudyDraft) -> Study: ...
    def get_study(self, study_id: str) -> Study: ...
    def end_study(self, study_id: str, at: datetime) -> Study:
        """End the study at ``at`` (now): from then the ad sets share their audience again."""
        ...


def even_split(count: int) -> tuple[int, ...]:
    """Whole percentages as even as they go, adding up to 100 (33/33/34)."""
    base = 100 // count
    return tuple(base + (1 if i >= count - 100 % count else 0) for i in range(count))
