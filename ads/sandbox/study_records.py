"""The sandbox's stored ad studies (Meta split tests) and what they do to delivery.

Kept apart from :mod:`ads.sandbox.studies` (the Graph endpoints) so the state file
(:mod:`ads.sandbox.persistence`) and the delivery engine read them without the
router. A study never changes its past: its end only moves to "now" or later
(ending it early, cancelling it), so the days already delivered stay as they were.

Delivery effect (Meta's help page "About split testing": a split test "divides your
audience into random, non-overlapping groups"): while a study runs, an ad set in a
cell reaches only that cell's share of the people its targeting can reach
(``treatment_percentage``), and no person is in two cells. In the sandbox this is the
ad set's reachable audience scaled by the share (:func:`audience_share`): frequency
and saturation build on the smaller pool, and the cells' unique reach adds up exactly.
Assumption: a day counts as in the study when any part of it is (local day).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ads.sandbox.records import from_iso, to_iso


@dataclass
class CellRecord:
    id: str
    name: str
    treatment_percentage: float
    adsets: list[str]
    campaigns: list[str] = field(default_factory=list)
    description: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "treatment_percentage": self.treatment_percentage,
            "adsets": list(self.adsets),
            "campaigns": list(self.campaigns),
            "description": self.description,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CellRecord:
        return cls(
            id=data["id"],
            name=data["name"],
            treatment_percentage=float(data["treatment_percentage"]),
            adsets=list(data["adsets"]),
            campaigns=list(data.get("campaigns", [])),
            description=data.get("description", ""),
        )


@dataclass
class StudyRecord:
    """One ad study (``type`` SPLIT_TEST) of an ad account."""

    id: str
    account_id: str  # act_<digits>: the account it was created on
    name: str
    description: str
    type: str
    start_time: datetime
    end_time: datetime
    cells: list[CellRecord]
    created_time: datetime
    updated_time: datetime
    canceled_time: datetime | None = None

    def running(self, since: datetime, until: datetime) -> bool:
        """Whether the study splits delivery at some moment in [since, until)."""
        end = self.end_time
        if self.canceled_time is not None:
            end = min(end, self.canceled_time)
        return self.start_time < until and end > since

    def ended(self, now: datetime) -> bool:
        return self.canceled_time is not None or self.end_time <= now

    def adset_ids(self) -> set[str]:
        return {adset for cell in self.cells for adset in cell.adsets}

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "account_id": self.account_id,
            "name": self.name,
            "description": self.description,
            "type": self.type,
            "start_time": to_iso(self.start_time),
            "end_time": to_iso(self.end_time),
            "cells": [c.to_json() for c in self.cells],
            "created_time": to_iso(self.created_time),
            "updated_time": to_iso(self.updated_time),
            "canceled_time": to_iso(self.canceled_time),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StudyRecord:
        times = {
            key: from_iso(data[key])
            for key in ("start_time", "end_time", "created_time", "updated_time")
        }
        if any(value is None for value in times.values()):
            raise ValueError(f"ad study {data.get('id')} without its times")
        return cls(
            id=data["id"],
            account_id=data["account_id"],
            name=data["name"],
            description=data.get("description", ""),
            type=data["type"],
            start_time=times["start_time"],  # type: ignore[arg-type]
            end_time=times["end_time"],  # type: ignore[arg-type]
            cells=[CellRecord.from_json(c) for c in data["cells"]],
            created_time=times["created_time"],  # type: ignore[arg-type]
            updated_time=times["updated_time"],  # type: ignore[arg-type]
            canceled_time=from_iso(data.get("canceled_time")),
        )


def audience_share(
    studies: Mapping[str, StudyRecord], adset_id: str, since: datetime, until: datetime
) -> float:
    """The share of its audience an ad set may reach in [since, until): its cell's, or 1."""
    for study in studies.values():
        if not study.running(since, until):
            continue
        for cell in study.cells:
            if adset_id in cell.adsets:
                return max(0.0, min(1.0, cell.treatment_percentage / 100.0))
    return 1.0
