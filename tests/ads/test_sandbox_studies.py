"""Meta split tests (ad studies) through the real SDK against the sandbox: create, read, the
validation Meta applies, the non-overlapping audience split in delivery, and ending one."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import requests

from ads.errors import AdsError
from ads.meta import MetaConnector
from ads.sandbox import DEMO_ACCOUNT_ID
from ads.sandbox.records import ACTIVE
from ads.studies import StudyCell, StudyDraft, even_split

TOKEN = "EAAB-test-token-secret"


@pytest.fixture
def meta(sandbox) -> MetaConnector:
    return MetaConnector(
        TOKEN, graph_url=sandbox.url, api_version="v24.0", timeout=5, sleep=lambda s: None
    )


def _two_adsets(state, targeting: dict | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    campaign = state.add_campaign(DEMO_ACCOUNT_ID, name="split", objective="OUTCOME_SALES")
    ids = []
    for label in ("A", "B"):
        adset = state.add_adset(
            campaign.id,
            name=f"split {label}",
            status=ACTIVE,
            daily_budget=5000,
            targeting=targeting,
            audience_size=200_000,
        )
        creative = state.add_creative(DEMO_ACCOUNT_ID, name=label, title="Coleção", body="")
        state.add_ad(adset.id, name=label, creative_id=creative.id, status=ACTIVE)
        ids.append(adset.id)
    state.update(campaign.id, {"status": ACTIVE})
    return ids


def _post(sandbox, path: str, **params: object) -> requests.Response:  # type: ignore[no-untyped-def]
    data = {k: json.dumps(v) if isinstance(v, list) else v for k, v in params.items()}
    return requests.post(f"{sandbox.url}/v24.0/{path}", data={**data, "access_token": TOKEN})


def test_create_read_and_end_a_split_test_with_the_sdk(meta, sandbox) -> None:
    a, b = _two_adsets(sandbox.state)
    now = sandbox.now()
    draft = StudyDraft(
        name="Teste A/B #1",
        start_time=now,
        end_time=now + timedelta(days=14),
        cells=(StudyCell("A", 50, (a,)), StudyCell("B", 50, (b,))),
        description="público: lookalike vs interesses",
    )
    study = meta.create_study(DEMO_ACCOUNT_ID, draft)
    assert study.name == "Teste A/B #1" and not study.canceled
    # Posted on the account's business, as Meta's reference documents (Business.create_ad_study).
    assert sandbox.stats.count("POST /{id}/ad_studies") == 1
    assert [(c.name, c.treatment_percentage, c.adset_ids) for c in study.cells] == [
        ("A", 50, (a,)),
        ("B", 50, (b,)),
    ]
    assert study.end_time == (now + timedelta(days=14)).replace(microsecond=0)
    cells = requests.get(
        f"{sandbox.url}/v24.0/{study.id}/cells",
        params={"fields": "name,treatment_percentage,adsets,adaccounts", "access_token": TOKEN},
    ).json()["data"]
    assert cells[0]["adsets"] == {"data": [{"id": a}]}
    assert cells[0]["adaccounts"] == {"data": [{"id": DEMO_ACCOUNT_ID.removeprefix("act_")}]}

    sandbox.advance_clock(days=2)
    ended = meta.end_study(study.id, sandbox.now())
    assert ended.end_time == sandbox.now().replace(microsecond=0)
    again = meta.end_study(study.id, sandbox.now() + timedelta(hours=1))  # already over: kept
    assert again.end_time == ended.end_time


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cells": None}, "The parameter cells is required"),
        ({"type": "SPLIT"}, "Param type must be one of"),
        ({"type": "LIFT"}, "SPLIT_TEST studies only"),
        ({"shares": (60, 50)}, "must add up to 100"),
        ({"shares": (33.333, 66.667)}, "at most two digits"),
        ({"same": True}, "more than one cell"),
        ({"start": -1}, "must not be in the past"),
        ({"end": 0}, "end_time must be after its start_time"),
        ({"end": 120}, "at most 90 days"),
        ({"one_cell": True}, "between 2 and 5 cells"),
        ({"foreign": True}, "does not exist in ad account"),
    ],
)
def test_the_validation_meta_applies(sandbox, change, message) -> None:  # type: ignore[no-untyped-def]
    a, b = _two_adsets(sandbox.state)
    now = int(sandbox.now().timestamp())
    shares = change.get("shares", (50, 50))
    second = a if change.get("same") else ("999" if change.get("foreign") else b)
    cells = [
        {"name": "A", "treatment_percentage": shares[0], "adsets": [a]},
        {"name": "B", "treatment_percentage": shares[1], "adsets": [second]},
    ]
    if change.get("one_cell"):
        cells = [{"name": "A", "treatment_percentage": 100, "adsets": [a]}]
    params: dict[str, object] = {
        "name": "t",
        "type": change.get("type", "SPLIT_TEST"),
        "start_time": now + int(change.get("start", 0)) * 86400,
        "end_time": now + int(change.get("end", 14)) * 86400,
        "cells": cells,
    }
    if "cells" in change:
        del params["cells"]
    response = _post(sandbox, f"{DEMO_ACCOUNT_ID}/ad_studies", **params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == 100 and message in error["message"]


def test_an_adset_cannot_be_in_two_studies_at_once(meta, sandbox) -> None:
    a, b = _two_adsets(sandbox.state)
    now = sandbox.now()
    cells = (StudyCell("A", 50, (a,)), StudyCell("B", 50, (b,)))
    meta.create_study(DEMO_ACCOUNT_ID, StudyDraft("one", now, now + timedelta(days=7), cells))
    with pytest.raises(AdsError, match="already in ad study"):
        meta.create_study(DEMO_ACCOUNT_ID, StudyDraft("two", now, now + timedelta(days=7), cells))


def test_cells_reach_separate_people_so_each_saturates_its_own_share(sandbox) -> None:
    """Same two ad sets, with and without a 50/50 study: in the study each reaches at most
    half of the people, so its frequency climbs faster and its unique reach is smaller."""
    from ads.sandbox import SandboxState
    from ads.sandbox.studies import create

    plain = sandbox.state.copy()
    a, b = _two_adsets(sandbox.state)
    split = sandbox.state.copy()
    a2, _ = _two_adsets(plain)
    assert a2 == a
    account = split.accounts[DEMO_ACCOUNT_ID]
    now = int(split.now().timestamp())
    create(
        split,
        account,
        {
            "name": "s",
            "type": "SPLIT_TEST",
            "start_time": str(now),
            "end_time": str(now + 20 * 86400),
            "cells": json.dumps(
                [
                    {"name": "A", "treatment_percentage": 50, "adsets": [a]},
                    {"name": "B", "treatment_percentage": 50, "adsets": [b]},
                ]
            ),
        },
    )
    for state in (split, plain):
        state.advance_clock(days=15)
    assert isinstance(split, SandboxState)
    day = split.today(DEMO_ACCOUNT_ID) - timedelta(days=1)
    start = day - timedelta(days=12)
    with_study = split.totals(a, start, day, settled=True)
    without = plain.totals(a2, start, day, settled=True)
    assert with_study.reach < without.reach
    assert with_study.impressions / with_study.reach > without.impressions / without.reach


def test_even_split_adds_up_to_100() -> None:
    assert even_split(2) == (50, 50)
    assert even_split(3) == (33, 33, 34)
    assert sum(even_split(5)) == 100


def test_studies_are_kept_in_the_state_file(meta, sandbox, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, b = _two_adsets(sandbox.state)
    now = sandbox.now()
    cells = (StudyCell("A", 50, (a,)), StudyCell("B", 50, (b,)))
    study = meta.create_study(
        DEMO_ACCOUNT_ID, StudyDraft("kept", now, now + timedelta(days=7), cells)
    )
    reloaded = sandbox.state.copy(state_file=tmp_path / "sandbox.json")
    from ads.sandbox import SandboxState

    again = SandboxState(state_file=tmp_path / "sandbox.json")
    for state in (reloaded, again):
        kept = state.studies[study.id]
        assert kept.name == "kept" and [c.adsets for c in kept.cells] == [[a], [b]]
