"""Injected incidents: each changes Graph's figures the way its docstring says, from its start."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from ads.base import Level, Period
from ads.meta import MetaConnector
from ads.sandbox import DEMO_ACCOUNT_ID, SandboxServer
from ads.sandbox.incidents import SandboxIncident
from ads.sandbox.state import SandboxState
from mediabrain.cli import main

#: 09:00 in São Paulo on a Tuesday.
START = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


def _today(state: SandboxState) -> tuple[int, int, int, int]:
    day = state.today(DEMO_ACCOUNT_ID)
    t = state.totals(DEMO_ACCOUNT_ID, day, day)
    return t.spend, t.impressions, t.link_clicks, t.purchases


def _twins(make_sandbox: Callable[..., SandboxServer]) -> tuple[SandboxState, SandboxState]:
    server = make_sandbox(seed=11, start=START)
    return server.state, server.state.copy()


@pytest.mark.parametrize(
    ("kind", "check"),
    [
        # from 09:00 of a day seen until 19:00: about half of the day so far is hit
        # dearer auction: same spend, fewer impressions
        ("cpm_shock", lambda b, a: a[0] == pytest.approx(b[0], rel=0.02) and a[1] < 0.9 * b[1]),
        # pixel down: traffic as usual, purchases stop
        ("broken_pixel", lambda b, a: a[2] == pytest.approx(b[2], rel=0.02) and a[3] < b[3]),
        # delivery stall: spend almost stops
        ("delivery_stall", lambda b, a: a[0] < 0.75 * b[0]),
        # fewer buy: the same clicks, fewer purchases
        ("conversion_drop", lambda b, a: a[2] == pytest.approx(b[2], rel=0.02) and a[3] < b[3]),
        # fewer click: the same impressions, fewer clicks
        ("ctr_drop", lambda b, a: a[1] == pytest.approx(b[1], rel=0.02) and a[2] < 0.8 * b[2]),
    ],
)
def test_an_incident_changes_todays_figures_from_its_start(
    make_sandbox: Callable[..., SandboxServer],
    kind: str,
    check: Callable[[tuple[int, ...], tuple[int, ...]], bool],
) -> None:
    usual, hit = _twins(make_sandbox)
    hit.inject_incident(DEMO_ACCOUNT_ID, SandboxIncident(kind, START, hours=24))
    for state in (usual, hit):
        state.advance_clock(hours=10)
    before, after = _today(usual), _today(hit)
    assert check(before, after), (before, after)


def test_a_disapproval_blocks_ads_through_the_admin_endpoint_and_the_cli(
    make_sandbox: Callable[..., SandboxServer], capsys: pytest.CaptureFixture[str]
) -> None:
    server = make_sandbox(seed=11, start=START)
    url = f"http://127.0.0.1:{server.port}"
    ads = [a for a in server.state.ads.values() if a.account_id == DEMO_ACCOUNT_ID]
    assert "DISAPPROVED" not in {server.state.effective_status(a) for a in ads}

    code = main(
        ["sandbox", "incident", "--url", url, "--account", DEMO_ACCOUNT_ID,
         "--kind", "disapproval", "--in-hours", "2", "--hours", "5"]
    )  # fmt: skip
    assert code == 0
    assert "disapproval" in capsys.readouterr().out
    assert "DISAPPROVED" not in {server.state.effective_status(a) for a in ads}  # not yet
    server.advance_clock(hours=3)
    statuses = [server.state.effective_status(a) for a in ads]
    assert statuses.count("DISAPPROVED") == -(-len(ads) // 2)  # half of them, rounded up
    listed = httpx.get(f"{url}/_sandbox/incidents").json()["incidents"]
    assert [(i["account_id"], i["kind"]) for i in listed] == [(DEMO_ACCOUNT_ID, "disapproval")]
    server.advance_clock(hours=5)
    assert "DISAPPROVED" not in {server.state.effective_status(a) for a in ads}  # over


def test_bad_incidents_are_refused_with_a_clear_message(
    make_sandbox: Callable[..., SandboxServer], capsys: pytest.CaptureFixture[str]
) -> None:
    server = make_sandbox(seed=11, start=START)
    url = f"http://127.0.0.1:{server.port}/_sandbox/incidents"
    past = (START - timedelta(days=1)).isoformat()
    refused = httpx.post(url, json={"account_id": DEMO_ACCOUNT_ID, "kind": "cpm_shock", "at": past})
    assert refused.status_code == 400
    assert "at or after the sandbox clock" in refused.json()["error"]["message"]
    unknown = httpx.post(url, json={"account_id": DEMO_ACCOUNT_ID, "kind": "meteor"})
    assert "unknown incident kind" in unknown.json()["error"]["message"]
    code = main(
        ["sandbox", "incident", "--url", f"http://127.0.0.1:{server.port}",
         "--account", "act_404", "--kind", "cpm_shock"]
    )  # fmt: skip
    assert code == 2
    assert "sandbox refused" in capsys.readouterr().err
    assert server.state.accounts[DEMO_ACCOUNT_ID].incidents == ()


def test_incidents_survive_a_restart_from_the_state_file(
    make_sandbox: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    state_file = tmp_path / "world.json"
    server = make_sandbox(seed=11, start=START, state_file=state_file)
    server.inject_incident(DEMO_ACCOUNT_ID, "cpm_shock", hours=6, magnitude=2.0)
    reloaded = SandboxState(seed=11, state_file=state_file)
    (incident,) = reloaded.accounts[DEMO_ACCOUNT_ID].incidents
    assert (incident.kind, incident.hours, incident.magnitude) == ("cpm_shock", 6.0, 2.0)


def test_a_segment_surge_lifts_one_audience_and_leaves_the_totals_alone(
    make_sandbox: Callable[..., SandboxServer], capsys: pytest.CaptureFixture[str]
) -> None:
    usual_server = make_sandbox(seed=11, start=START)
    hit_server = make_sandbox(seed=11, start=START)
    code = main(
        ["sandbox", "incident", "--url", f"http://127.0.0.1:{hit_server.port}",
         "--account", DEMO_ACCOUNT_ID, "--kind", "segment_surge", "--segment", "age=35-44",
         "--magnitude", "2"]
    )  # fmt: skip
    assert code == 0 and "age=35-44" in capsys.readouterr().out
    by_age = {}
    for name, server in (("usual", usual_server), ("hit", hit_server)):
        server.advance_clock(days=7)
        ads = MetaConnector("sandbox-token", graph_url=server.url, api_version="v21.0")
        today = server.state.today(DEMO_ACCOUNT_ID)
        week = Period(today - timedelta(days=6), today - timedelta(days=1))
        rows = ads.insights(DEMO_ACCOUNT_ID, Level.ACCOUNT, week, breakdowns=("age",))
        by_age[name] = {r.breakdown["age"]: (r.spend, r.conversions) for r in rows}
    usual, hit = by_age["usual"], by_age["hit"]
    assert {a: s for a, (s, _) in usual.items()} == {a: s for a, (s, _) in hit.items()}
    assert sum(c for _, c in usual.values()) == sum(c for _, c in hit.values())
    assert (
        hit["35-44"][1] > Decimal("1.4") * usual["35-44"][1]
    )  # the segment buys more per unit spent
    with pytest.raises(ValueError, match="names its segment"):
        SandboxIncident("segment_surge", START)


def test_a_broken_pixel_loses_the_late_purchases_of_earlier_clicks_too(
    make_sandbox: Callable[..., SandboxServer],
) -> None:
    usual, hit = _twins(make_sandbox)
    hit.inject_incident(DEMO_ACCOUNT_ID, SandboxIncident("broken_pixel", START, hours=24))
    yesterday = usual.today(DEMO_ACCOUNT_ID) - timedelta(days=1)
    before = [s.totals(DEMO_ACCOUNT_ID, yesterday, yesterday).purchases for s in (usual, hit)]
    assert before[0] == before[1]
    for state in (usual, hit):
        state.advance_clock(hours=20)
    late = [s.totals(DEMO_ACCOUNT_ID, yesterday, yesterday).purchases for s in (usual, hit)]
    assert late[0] > before[0]  # yesterday's late buyers arrive as usual...
    assert late[1] == before[1]  # ...and never while the pixel is down
