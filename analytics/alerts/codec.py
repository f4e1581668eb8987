"""The lifecycle state as JSON-safe data, so an hourly job can keep it between runs.

Datetimes are ISO 8601 with their offset, Decimals strings, enums their
values; :func:`state_from_json` gives back an equal :class:`LifecycleState`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from analytics.alerts.findings import ActionKind, AlertKind, ChartSeries, Finding
from analytics.alerts.incidents import Incident, IncidentStatus, LifecycleState


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _chart_to_json(chart: ChartSeries | None) -> dict[str, Any] | None:
    if chart is None:
        return None
    return {
        "metric": chart.metric,
        "hours": [h.isoformat() for h in chart.hours],
        "observed": [None if v is None else str(v) for v in chart.observed],
        "expected": [None if v is None else str(v) for v in chart.expected],
    }


def _chart_from_json(data: dict[str, Any] | None) -> ChartSeries | None:
    if data is None:
        return None
    return ChartSeries(
        data["metric"],
        tuple(datetime.fromisoformat(h) for h in data["hours"]),
        tuple(_dec(v) for v in data["observed"]),
        tuple(_dec(v) for v in data["expected"]),
    )


def finding_to_json(finding: Finding) -> dict[str, Any]:
    return {
        "kind": finding.kind.value,
        "entity_id": finding.entity_id,
        "detected_at": finding.detected_at.isoformat(),
        "since": finding.since.isoformat(),
        "metric": finding.metric,
        "observed": str(finding.observed),
        "expected": str(finding.expected),
        "change": str(finding.change),
        "money_at_stake_per_day": finding.money_at_stake_per_day,
        "tail_probability": finding.tail_probability,
        "action": finding.action.value,
        "chart": _chart_to_json(finding.chart),
        "details": dict(finding.details),
    }


def finding_from_json(data: dict[str, Any]) -> Finding:
    return Finding(
        kind=AlertKind(data["kind"]),
        entity_id=data["entity_id"],
        detected_at=datetime.fromisoformat(data["detected_at"]),
        since=datetime.fromisoformat(data["since"]),
        metric=data["metric"],
        observed=Decimal(data["observed"]),
        expected=Decimal(data["expected"]),
        change=Decimal(data["change"]),
        money_at_stake_per_day=int(data["money_at_stake_per_day"]),
        tail_probability=float(data["tail_probability"]),
        action=ActionKind(data["action"]),
        chart=_chart_from_json(data.get("chart")),
        details=MappingProxyType(dict(data.get("details", {}))),
    )


def _incident_to_json(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "kind": incident.kind.value,
        "entity_id": incident.entity_id,
        "status": incident.status.value,
        "opened_at": incident.opened_at.isoformat(),
        "since": incident.since.isoformat(),
        "updated_at": incident.updated_at.isoformat(),
        "finding": finding_to_json(incident.finding),
        "peak_money_at_stake_per_day": incident.peak_money_at_stake_per_day,
        "notified_money_at_stake_per_day": incident.notified_money_at_stake_per_day,
        "quiet_runs": incident.quiet_runs,
        "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
    }


def _incident_from_json(data: dict[str, Any]) -> Incident:
    return Incident(
        id=data["id"],
        kind=AlertKind(data["kind"]),
        entity_id=data["entity_id"],
        status=IncidentStatus(data["status"]),
        opened_at=datetime.fromisoformat(data["opened_at"]),
        since=datetime.fromisoformat(data["since"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
        finding=finding_from_json(data["finding"]),
        peak_money_at_stake_per_day=int(data["peak_money_at_stake_per_day"]),
        notified_money_at_stake_per_day=int(data["notified_money_at_stake_per_day"]),
        quiet_runs=int(data["quiet_runs"]),
        resolved_at=_when(data.get("resolved_at")),
    )


def state_to_json(state: LifecycleState) -> dict[str, Any]:
    return {
        "open": [_incident_to_json(i) for i in state.open],
        "resolved": [_incident_to_json(i) for i in state.resolved],
    }


def state_from_json(data: dict[str, Any]) -> LifecycleState:
    return LifecycleState(
        tuple(_incident_from_json(i) for i in data.get("open", [])),
        tuple(_incident_from_json(i) for i in data.get("resolved", [])),
    )
