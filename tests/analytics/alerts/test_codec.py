"""The lifecycle state survives a JSON round trip between hourly runs."""

from __future__ import annotations

import json

from analytics.alerts.codec import state_from_json, state_to_json
from analytics.alerts.detectors import detect_cpm_spike
from analytics.alerts.findings import DetectorConfig
from analytics.alerts.incidents import EventKind, LifecycleState, advance
from tests.analytics.alerts.helpers import ONSET, account, snapshot


def test_state_round_trips_and_the_next_run_continues_the_incident() -> None:
    sim = account("cpm_shock", seed=31, magnitude=2.0)
    config = DetectorConfig()
    first = snapshot(sim, ONSET + 2)
    finding = detect_cpm_spike(first, config)
    assert finding is not None and finding.chart is not None
    state, _ = advance(LifecycleState(), [finding], first.now)
    restored = state_from_json(json.loads(json.dumps(state_to_json(state))))
    assert restored == state
    # The restored state updates the same incident instead of opening a new one.
    later = snapshot(sim, ONSET + 3)
    again = detect_cpm_spike(later, config)
    assert again is not None
    _, events = advance(restored, [again], later.now)
    assert all(e.kind is not EventKind.OPENED for e in events)
