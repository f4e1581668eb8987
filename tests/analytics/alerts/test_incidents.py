"""The incident lifecycle: one alert per incident, updated in place, resolved on recovery,
cooldowns, and what each chat receives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from analytics.alerts.findings import ActionKind, AlertKind, Finding
from analytics.alerts.incidents import (
    ChatAlertSettings,
    EventKind,
    IncidentStatus,
    LifecyclePolicy,
    LifecycleState,
    advance,
    route_to_chat,
)

T0 = datetime(2026, 11, 20, 13, 0, tzinfo=UTC)
H = timedelta(hours=1)


def finding(
    at: datetime,
    kind: AlertKind = AlertKind.CPA_RISE,
    entity: str = "c1",
    money: int = 100_000,
    change: str = "0.5",
) -> Finding:
    return Finding(
        kind=kind, entity_id=entity, detected_at=at, since=at - 2 * H, metric="cpa",
        observed=Decimal(150), expected=Decimal(100), change=Decimal(change),
        money_at_stake_per_day=money, tail_probability=1e-6, action=ActionKind.CUT_BUDGET,
    )  # fmt: skip


def run(hours: list[list[Finding]], policy: LifecyclePolicy | None = None):  # type: ignore[no-untyped-def]
    state = LifecycleState()
    log = []
    for i, findings in enumerate(hours):
        state, events = advance(state, findings, T0 + i * H, policy)
        log.append(events)
    return state, log


def test_one_incident_updated_in_place_then_resolved() -> None:
    state, log = run(
        [
            [finding(T0)],
            [finding(T0 + H, money=105_000)],  # small change: no edit
            [finding(T0 + 2 * H, money=200_000)],  # doubled: the message is edited
            [],
            [],  # two quiet runs: recovered
        ]
    )
    assert [e.kind for e in log[0]] == [EventKind.OPENED]
    assert log[1] == ()
    assert [e.kind for e in log[2]] == [EventKind.UPDATED]
    assert log[3] == ()
    assert [e.kind for e in log[4]] == [EventKind.RESOLVED]
    ids = {e.incident.id for events in log for e in events}
    assert len(ids) == 1  # one alert for the whole incident
    resolved = log[4][0].incident
    assert resolved.status is IncidentStatus.RESOLVED
    assert resolved.since == T0 - 2 * H and resolved.peak_money_at_stake_per_day == 200_000
    assert state.open == ()


def test_cooldown_reopens_the_same_incident_instead_of_a_new_alert() -> None:
    policy = LifecyclePolicy(cooldowns={AlertKind.CPA_RISE: timedelta(hours=6)})
    hours: list[list[Finding]] = [[finding(T0)], [], []]  # resolved at T0 + 2h
    hours += [[finding(T0 + 3 * H)]]  # back within the cooldown
    hours += [[], []]  # resolved again at T0 + 5h
    hours += [[] for _ in range(6)]
    hours += [[finding(T0 + 12 * H)]]  # back after the cooldown: a new incident
    _, log = run(hours, policy)
    events = [e for events in log for e in events]
    kinds = [e.kind for e in events]
    assert kinds == [
        EventKind.OPENED, EventKind.RESOLVED, EventKind.UPDATED, EventKind.RESOLVED,
        EventKind.OPENED,
    ]  # fmt: skip
    assert events[2].incident.id == events[0].incident.id
    assert events[4].incident.id != events[0].incident.id


def test_an_entity_not_evaluated_keeps_its_incident_open() -> None:
    state, _ = run([[finding(T0)]])
    for i in range(1, 4):
        state, events = advance(state, [], T0 + i * H, evaluated=frozenset({"other"}))
        assert events == ()
    assert len(state.open) == 1


def test_several_incidents_reach_a_chat_as_one_digest() -> None:
    _, log = run(
        [[finding(T0), finding(T0, AlertKind.CPM_SPIKE), finding(T0, AlertKind.CTR_COLLAPSE, "c2")]]
    )
    digest, seen = route_to_chat("chat", log[0], ChatAlertSettings(), frozenset(), T0)
    assert digest is not None and digest.notifies
    assert len(digest.opened) == 3 and len(seen) == 3
    assert digest.money_at_stake_per_day == 300_000


def test_muted_kind_is_held_back_until_the_mute_ends() -> None:
    settings = ChatAlertSettings().mute(AlertKind.CPM_SPIKE, T0 + 24 * H)
    _, log = run([[finding(T0, AlertKind.CPM_SPIKE), finding(T0)]])
    digest, seen = route_to_chat("chat", log[0], settings, frozenset(), T0)
    assert digest is not None and [i.kind for i in digest.opened] == [AlertKind.CPA_RISE]
    # After the mute an edit of the still-open CPM incident arrives as new.
    state = LifecycleState()
    state, _ = advance(state, [finding(T0, AlertKind.CPM_SPIKE)], T0)
    later = T0 + 25 * H
    state, events = advance(state, [finding(later, AlertKind.CPM_SPIKE, money=300_000)], later)
    digest, _ = route_to_chat("chat", events, settings, seen, later)
    assert digest is not None and [i.kind for i in digest.opened] == [AlertKind.CPM_SPIKE]


def test_chat_threshold_filters_small_changes() -> None:
    settings = ChatAlertSettings().with_threshold(AlertKind.CPA_RISE, Decimal("0.30"))
    _, log = run([[finding(T0, change="0.2")]])
    digest, seen = route_to_chat("chat", log[0], settings, frozenset(), T0)
    assert digest is None and seen == frozenset()
    _, log = run([[finding(T0, change="0.45")]])
    digest, _ = route_to_chat("chat", log[0], settings, frozenset(), T0)
    assert digest is not None and len(digest.opened) == 1


def test_a_chat_hears_of_resolution_only_for_what_it_saw() -> None:
    _, log = run([[finding(T0)], [], []])
    opened = log[0]
    resolved = log[2]
    settings = ChatAlertSettings()
    _, seen = route_to_chat("a", opened, settings, frozenset(), T0)
    digest, seen = route_to_chat("a", resolved, settings, seen, T0 + 2 * H)
    assert digest is not None and len(digest.resolved) == 1 and not digest.notifies
    assert seen == frozenset()
    silent, _ = route_to_chat("b", resolved, settings, frozenset(), T0 + 2 * H)
    assert silent is None
