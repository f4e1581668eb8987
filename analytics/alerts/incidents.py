"""The incident lifecycle: findings hour after hour become one alert per incident.

A pure state machine. Each hourly run hands :func:`advance` the findings of
that run; it answers the new state and the events to show:

* a finding with no open incident of the same kind and entity **opens** one;
* while it keeps being found the incident is **updated in place** (an edit of
  the same message, only when the money at stake or the suggested action
  changed noticeably), keeping its first "since";
* after ``resolve_after_hours`` evaluated runs without it, it is **resolved**;
* a finding that comes back within the kind's **cooldown** after resolution
  reopens the same incident (an update, not a new alert), so a flapping
  metric makes one message, not ten.

:func:`route_to_chat` then applies one chat's settings (mutes such as
"silenciar alertas de CPM por 24h", thresholds such as "alertas de CPA acima
de 30%") and groups whatever is left of a run into one digest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from analytics.alerts.findings import AlertKind, Finding
from analytics.alerts.series import HOUR, hours_between


class IncidentStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class EventKind(StrEnum):
    OPENED = "opened"
    UPDATED = "updated"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Incident:
    """One problem (or opportunity) of one entity, from first finding to recovery."""

    id: str
    kind: AlertKind
    entity_id: str
    status: IncidentStatus
    opened_at: datetime
    since: datetime  # the earliest onset any of its findings saw
    updated_at: datetime
    finding: Finding  # the latest
    peak_money_at_stake_per_day: int
    notified_money_at_stake_per_day: int  # what the message shows now
    quiet_runs: int = 0  # consecutive evaluated runs without a finding
    resolved_at: datetime | None = None

    @property
    def key(self) -> tuple[AlertKind, str]:
        return self.kind, self.entity_id


@dataclass(frozen=True)
class IncidentEvent:
    kind: EventKind
    incident: Incident


DEFAULT_COOLDOWN = timedelta(hours=12)
_COOLDOWNS: Mapping[AlertKind, timedelta] = MappingProxyType(
    {
        AlertKind.ADS_DISAPPROVED: timedelta(hours=2),
        AlertKind.BUDGET_EXHAUSTING: timedelta(hours=20),  # once a day
        AlertKind.SCALE_OPPORTUNITY: timedelta(days=3),
        AlertKind.RISING_SEGMENT: timedelta(days=3),
    }
)


@dataclass(frozen=True)
class LifecyclePolicy:
    """How quickly incidents resolve, how long they stay re-openable, when edits are worth it."""

    resolve_after_hours: int = 2
    cooldowns: Mapping[AlertKind, timedelta] = field(default_factory=lambda: _COOLDOWNS)
    update_change: float = 0.25  # relative change of money at stake that refreshes the message

    def cooldown(self, kind: AlertKind) -> timedelta:
        return self.cooldowns.get(kind, DEFAULT_COOLDOWN)


@dataclass(frozen=True)
class LifecycleState:
    """Open incidents and the recently resolved ones still within their cooldown."""

    open: tuple[Incident, ...] = ()
    resolved: tuple[Incident, ...] = ()

    def find(self, kind: AlertKind, entity_id: str) -> Incident | None:
        for incident in (*self.open, *self.resolved):
            if incident.key == (kind, entity_id):
                return incident
        return None


def _open(finding: Finding) -> Incident:
    stamp = finding.detected_at.isoformat(timespec="minutes")
    return Incident(
        id=f"{finding.kind.value}:{finding.entity_id}:{stamp}",
        kind=finding.kind,
        entity_id=finding.entity_id,
        status=IncidentStatus.OPEN,
        opened_at=finding.detected_at,
        since=finding.since,
        updated_at=finding.detected_at,
        finding=finding,
        peak_money_at_stake_per_day=finding.money_at_stake_per_day,
        notified_money_at_stake_per_day=finding.money_at_stake_per_day,
    )


def _worth_an_edit(incident: Incident, finding: Finding, policy: LifecyclePolicy) -> bool:
    shown = max(incident.notified_money_at_stake_per_day, 1)
    moved = abs(finding.money_at_stake_per_day - shown) / shown >= policy.update_change
    return moved or finding.action != incident.finding.action


def advance(
    state: LifecycleState,
    findings: Iterable[Finding],
    now: datetime,
    policy: LifecyclePolicy | None = None,
    evaluated: frozenset[str] | None = None,
) -> tuple[LifecycleState, tuple[IncidentEvent, ...]]:
    """One run: the new state and the events (opened, updated, resolved) it produced.

    ``evaluated`` names the entities this run looked at (``None``: all); an
    incident of an entity not evaluated keeps its state, so a failed read never
    resolves anything.
    """
    rules = policy or LifecyclePolicy()
    by_key: dict[tuple[AlertKind, str], Finding] = {}
    for candidate in findings:
        known = by_key.get(candidate.key)
        if known is None or candidate.money_at_stake_per_day > known.money_at_stake_per_day:
            by_key[candidate.key] = candidate
    events: list[IncidentEvent] = []
    still_open: list[Incident] = []
    resolved = [
        i
        for i in state.resolved
        if i.resolved_at and hours_between(i.resolved_at, now) * HOUR < rules.cooldown(i.kind)
    ]
    for incident in state.open:
        current = by_key.pop(incident.key, None)
        if current is not None:
            finding = current
            updated = replace(
                incident,
                since=min(incident.since, finding.since),
                updated_at=now,
                finding=finding,
                quiet_runs=0,
                peak_money_at_stake_per_day=max(
                    incident.peak_money_at_stake_per_day, finding.money_at_stake_per_day
                ),
            )
            if _worth_an_edit(incident, finding, rules):
                updated = replace(
                    updated, notified_money_at_stake_per_day=finding.money_at_stake_per_day
                )
                events.append(IncidentEvent(EventKind.UPDATED, updated))
            still_open.append(updated)
        elif evaluated is not None and incident.entity_id not in evaluated:
            still_open.append(incident)
        elif incident.quiet_runs + 1 >= rules.resolve_after_hours:
            closed = replace(
                incident, status=IncidentStatus.RESOLVED, resolved_at=now, updated_at=now,
                quiet_runs=incident.quiet_runs + 1,
            )  # fmt: skip
            events.append(IncidentEvent(EventKind.RESOLVED, closed))
            resolved.append(closed)
        else:
            still_open.append(replace(incident, quiet_runs=incident.quiet_runs + 1))
    for key, finding in by_key.items():
        previous = next((i for i in resolved if i.key == key), None)
        if previous is not None:  # back within its cooldown: the same incident, edited
            resolved.remove(previous)
            reopened = replace(
                previous, status=IncidentStatus.OPEN, resolved_at=None, updated_at=now,
                finding=finding, quiet_runs=0,
                notified_money_at_stake_per_day=finding.money_at_stake_per_day,
                peak_money_at_stake_per_day=max(
                    previous.peak_money_at_stake_per_day, finding.money_at_stake_per_day
                ),
            )  # fmt: skip
            events.append(IncidentEvent(EventKind.UPDATED, reopened))
            still_open.append(reopened)
        else:
            incident = _open(finding)
            events.append(IncidentEvent(EventKind.OPENED, incident))
            still_open.append(incident)
    return LifecycleState(tuple(still_open), tuple(resolved)), tuple(events)


# --- one chat's view ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChatAlertSettings:
    """What one chat asked for: mutes until a moment, minimum changes per kind.

    ``mutes`` keyed by kind, or ``None`` for every kind; ``thresholds`` are
    minimum absolute relative changes (``Decimal("0.30")`` for "acima de 30%").
    """

    mutes: Mapping[AlertKind | None, datetime] = field(default_factory=dict)
    thresholds: Mapping[AlertKind, Decimal] = field(default_factory=dict)
    disabled: frozenset[AlertKind] = frozenset()

    def muted(self, kind: AlertKind, now: datetime) -> bool:
        until = [self.mutes.get(kind), self.mutes.get(None)]
        return kind in self.disabled or any(u is not None and u > now for u in until)

    def passes(self, finding: Finding) -> bool:
        threshold = self.thresholds.get(finding.kind)
        return threshold is None or abs(finding.change) >= threshold

    def mute(self, kind: AlertKind | None, until: datetime) -> ChatAlertSettings:
        """ "silenciar alertas de CPM por 24h": ``mute(AlertKind.CPM_SPIKE, now + 24h)``."""
        return replace(self, mutes={**self.mutes, kind: until})

    def with_threshold(self, kind: AlertKind, minimum: Decimal) -> ChatAlertSettings:
        """ "alertas de CPA acima de 30%": ``with_threshold(AlertKind.CPA_RISE, Decimal("0.3"))``."""
        return replace(self, thresholds={**self.thresholds, kind: minimum})


@dataclass(frozen=True)
class ChatDigest:
    """What one chat receives from one run: several incidents grouped in one message."""

    chat_id: str
    at: datetime
    opened: tuple[Incident, ...] = ()
    updated: tuple[Incident, ...] = ()
    resolved: tuple[Incident, ...] = ()

    @property
    def money_at_stake_per_day(self) -> int:
        return sum(i.finding.money_at_stake_per_day for i in (*self.opened, *self.updated))

    @property
    def notifies(self) -> bool:
        """A new incident pings; edits and resolutions only change messages already sent."""
        return bool(self.opened)


def route_to_chat(
    chat_id: str,
    events: Iterable[IncidentEvent],
    settings: ChatAlertSettings,
    delivered: frozenset[str],
    now: datetime,
) -> tuple[ChatDigest | None, frozenset[str]]:
    """This chat's digest of a run and the incident ids it has now seen.

    An update to an incident the chat never saw (muted then, or below its
    threshold) arrives as new once it passes; resolutions of incidents it
    never saw are dropped.
    """
    opened: list[Incident] = []
    updated: list[Incident] = []
    resolved: list[Incident] = []
    seen = set(delivered)
    for event in events:
        incident = event.incident
        if event.kind is EventKind.RESOLVED:
            if incident.id in seen:
                resolved.append(incident)
                seen.discard(incident.id)
            continue
        if settings.muted(incident.kind, now) or not settings.passes(incident.finding):
            continue
        if incident.id in seen:
            updated.append(incident)
        else:
            opened.append(incident)
            seen.add(incident.id)
    if not (opened or updated or resolved):
        return None, frozenset(seen)
    digest = ChatDigest(chat_id, now, tuple(opened), tuple(updated), tuple(resolved))
    return digest, frozenset(seen)
