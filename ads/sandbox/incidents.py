"""Injected incidents: what goes wrong in a real account, switched on at a simulated time.

For testing the smart alerts end to end (inject → advance the clock → the
hourly job → an alert in the chat). Each incident belongs to an ad account,
starts at a moment at or after the clock (completed days never change) and
lasts ``hours`` (``None``: until cleared). Effects, each a stated assumption
about how the problem shows in Graph's figures:

* ``cpm_shock``: the auction gets dearer; every impression costs ``magnitude``
  times more (default 1.8) while spend keeps its pace (Meta spends the budget
  at whatever price the auction asks).
* ``broken_pixel``: the site stops firing the Purchase event; clicks and
  landing-page views go on, purchases made in the window never reach Meta
  (none are reported, then or later), the late purchases of earlier clicks
  included: the pixel fires when someone buys, whenever they clicked.
* ``disapproval``: a share ``magnitude`` (default 0.5) of the account's ads,
  lowest ids first, get ``effective_status`` DISAPPROVED (as after a policy
  review) and stop delivering; the others keep their own budgets (ABO) or
  take the campaign's share (CBO).
* ``delivery_stall``: delivery nearly stops (spend at ``magnitude`` of its
  pace, default 0.03), as with a payment problem or an audience that ran out.
* ``conversion_drop``: people click as usual but buy less (a checkout bug, an
  offer ended): purchases per click at ``magnitude`` (default 0.4).
* ``ctr_drop``: the ads stop getting clicks (a broken link or a creative worn
  out): link clicks per impression at ``magnitude`` (default 0.4), and the
  purchases with them.
* ``segment_surge`` (an opportunity, not a problem): one breakdown segment
  (``segment="age=35-44"``, ``"publisher_platform=instagram"``...) starts to
  buy ``magnitude`` times more per click (default 2.0) than it did. Stated
  assumption: the account's totals do not change (the optimizer's budget is
  what it is), only how Graph's breakdowns split a day's purchases among
  segments; a day partly covered gets the boost in proportion to the share of
  it the surge covers, so a completed day never changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

KINDS: dict[str, float] = {  # kind -> default magnitude
    "cpm_shock": 1.8,
    "broken_pixel": 0.0,
    "disapproval": 0.5,
    "delivery_stall": 0.03,
    "segment_surge": 2.0,
    "conversion_drop": 0.4,
    "ctr_drop": 0.4,
}


@dataclass(frozen=True)
class SandboxIncident:
    """One injected problem of one ad account, from ``start`` for ``hours``."""

    kind: str
    start: datetime
    hours: float | None = None
    magnitude: float | None = None
    segment: str | None = None  # "age=35-44": the breakdown segment a segment_surge lifts

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown incident kind {self.kind!r}; one of {', '.join(KINDS)}")
        if (self.kind == "segment_surge") != (self.segment is not None):
            raise ValueError("a segment_surge names its segment (e.g. age=35-44), and only it")
        if self.segment is not None and "=" not in self.segment:
            raise ValueError("a segment reads breakdown=value, e.g. publisher_platform=instagram")
        if self.start.tzinfo is None:
            raise ValueError("an incident's start must be timezone-aware")
        if self.hours is not None and self.hours <= 0:
            raise ValueError("an incident lasts a positive number of hours")
        if self.magnitude is not None and self.magnitude < 0:
            raise ValueError("an incident's magnitude cannot be negative")

    @property
    def end(self) -> datetime | None:
        return None if self.hours is None else self.start + timedelta(hours=self.hours)

    @property
    def size(self) -> float:
        return KINDS[self.kind] if self.magnitude is None else self.magnitude

    def active(self, at: datetime) -> bool:
        end = self.end
        return self.start <= at and (end is None or at < end)

    def bounds(self) -> tuple[datetime, ...]:
        """The moments where delivery changes (cut points for the day's intervals)."""
        end = self.end
        return (self.start,) if end is None else (self.start, end)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "hours": self.hours,
            "magnitude": self.magnitude,
        }
        if self.segment is not None:
            data["segment"] = self.segment
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SandboxIncident:
        return cls(
            kind=str(data["kind"]),
            start=datetime.fromisoformat(str(data["start"])),
            hours=None if data.get("hours") is None else float(data["hours"]),
            magnitude=None if data.get("magnitude") is None else float(data["magnitude"]),
            segment=None if data.get("segment") is None else str(data["segment"]),
        )


def _product(incidents: tuple[SandboxIncident, ...], kind: str, at: datetime) -> float:
    factor = 1.0
    for incident in incidents:
        if incident.kind == kind and incident.active(at):
            factor *= incident.size
    return factor


def cpm_multiplier(incidents: tuple[SandboxIncident, ...], at: datetime) -> float:
    return _product(incidents, "cpm_shock", at)


def conversion_multiplier(incidents: tuple[SandboxIncident, ...], at: datetime) -> float:
    return _product(incidents, "conversion_drop", at)


def ctr_multiplier(incidents: tuple[SandboxIncident, ...], at: datetime) -> float:
    return _product(incidents, "ctr_drop", at)


def pace_multiplier(incidents: tuple[SandboxIncident, ...], at: datetime) -> float:
    return _product(incidents, "delivery_stall", at)


def pixel_windows(
    incidents: tuple[SandboxIncident, ...],
) -> tuple[tuple[datetime, datetime | None], ...]:
    """When the pixel was broken: late purchases made then are never reported."""
    return tuple((i.start, i.end) for i in incidents if i.kind == "broken_pixel")


def pixel_broken(incidents: tuple[SandboxIncident, ...], at: datetime) -> bool:
    return any(i.kind == "broken_pixel" and i.active(at) for i in incidents)


def disapproved(
    incidents: tuple[SandboxIncident, ...], ad_ids: list[str], at: datetime
) -> set[str]:
    """The account's ads a disapproval active at ``at`` blocks (a share, lowest ids first)."""
    share = max((i.size for i in incidents if i.kind == "disapproval" and i.active(at)), default=0)
    if share <= 0 or not ad_ids:
        return set()
    ordered = sorted(ad_ids, key=lambda a: (len(a), a))
    return set(ordered[: max(1, math.ceil(min(share, 1.0) * len(ordered)))])


def segment_multipliers(
    incidents: tuple[SandboxIncident, ...], start: datetime, end: datetime
) -> dict[tuple[str, str], float]:
    """Purchase-weight multipliers of the segments a surge lifts over ``[start, end)`` (a day).

    The boost is prorated by the share of the day the surge covers.
    """
    span = (end - start).total_seconds()
    out: dict[tuple[str, str], float] = {}
    for incident in incidents:
        if incident.kind != "segment_surge" or incident.segment is None or span <= 0:
            continue
        stop = incident.end or end
        covered = (min(stop, end) - max(incident.start, start)).total_seconds()
        if covered <= 0:
            continue
        name, _, value = incident.segment.partition("=")
        lift = 1.0 + (incident.size - 1.0) * covered / span
        out[(name, value)] = out.get((name, value), 1.0) * lift
    return out
