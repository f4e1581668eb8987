"""Meta split testing in the sandbox: ``/act_<id>/ad_studies``, ``/<study_id>``, ``/cells``.

Routes (added to :mod:`ads.sandbox.graph`):

* ``POST /act_<id>/ad_studies`` — create a study: ``name``, ``description``, ``type``,
  ``start_time``, ``end_time`` (UNIX seconds or ISO 8601), ``cells`` (JSON list of
  ``{name, treatment_percentage, adsets | campaigns}``). Answers ``{"id": ...}``.
* ``POST|GET /<business_id>/ad_studies`` — the same on the business edge Meta's reference
  documents (``Business.create_ad_study`` in the SDK): the study belongs to the account of
  its cells' ad sets, which must be one of the business's accounts (assumption: one account
  per study in the sandbox).
* ``GET /act_<id>/ad_studies`` — the account's studies (``fields`` as on the node).
* ``GET /<study_id>`` with ``fields`` (id, name, description, type, start_time, end_time,
  created_time, updated_time, canceled_time, cells); ``GET /<study_id>/cells`` with
  ``fields`` (id, name, treatment_percentage, adsets, campaigns, adaccounts).
* ``POST /<study_id>`` — ``name``, ``description``, ``end_time`` (ends it early), ``start_time``
  (before it starts). ``DELETE /<study_id>`` — cancels it.

Sources for each behaviour:

* Shape of the create call, the ``cells`` objects and the two reads: Meta's "Ad Study"
  Marketing API reference (curl example with ``type=SPLIT_TEST``,
  ``cells=[{name, treatment_percentage, adsets}]``, ``start_time``/``end_time`` as UNIX
  seconds; ``GET /<AD_STUDY_ID>/cells?fields=name,treatment_percentage,campaigns,adsets,
  adaccounts``).
* ``cells`` required; ``treatment_percentage`` a float "with at most two digits after the
  decimal point"; cells may name ``adsets`` or ``campaigns``: Meta's "Business Ad Studies"
  reference (Creating).
* ``type`` values: the SDK's ``AdStudy.Type``; the sandbox simulates SPLIT_TEST only and
  refuses the others with code 100 (assumption: a sandbox limit, said in the message).
* Cells are non-overlapping groups, one variable per test: Meta's help page "About split
  testing". Hence an ad set may sit in one cell only, and (assumption) in no other study
  whose dates overlap.
* The end time may be edited until the study ends, the start time until it starts:
  Smartly's "Set up a split test" help (Smartly drives Meta's ad studies through this API).
  Cancelling: the SDK's ``AdStudy.api_delete``; Meta's help "after cancelling your split test,
  your budget and audience will no longer be divided between your ad sets".
* Stated assumptions (Meta's reference gives no figures): ``name``, ``type``, ``start_time``
  and ``end_time`` are required; 2 to 5 cells; shares between 1 and 100 adding up to 100;
  the start not more than :data:`START_GRACE` in the past; at most :data:`MAX_DAYS` days;
  every ad set in the posting account; cells cannot change once the study started.
  Studies are listed on one page (an account holds few).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from ads.sandbox import errors
from ads.sandbox import params as p
from ads.sandbox.fields import parse_fields
from ads.sandbox.nodes import Context, graph_time
from ads.sandbox.records import AccountRecord
from ads.sandbox.state import SandboxState
from ads.sandbox.study_records import CellRecord, StudyRecord

TYPES = (
    "BACKEND_AB_TESTING",
    "CONTINUOUS_LIFT_CONFIG",
    "CREATIVE_SPEND_ENFORCEMENT",
    "GEO_LIFT",
    "LIFT",
    "PORTFOLIO_OPTIMIZER",
    "SPLIT_TEST",
    "VERSION_CONTROL",
)
MIN_CELLS, MAX_CELLS = 2, 5
MAX_DAYS = 90
START_GRACE = timedelta(minutes=10)
STUDY_FIELDS = (
    "id",
    "name",
    "description",
    "type",
    "start_time",
    "end_time",
    "created_time",
    "updated_time",
    "canceled_time",
    "cells",
)
CELL_FIELDS = ("id", "name", "treatment_percentage", "adsets", "campaigns", "adaccounts")


# --- the account edge ------------------------------------------------------------------------


def account_edge(
    ctx: Context, account: AccountRecord, method: str, params: dict[str, str]
) -> dict[str, Any]:
    if method == "POST":
        return {"id": create(ctx.state, account, params).id}
    if method == "GET":
        found = [s for s in ctx.state.studies.values() if s.account_id == account.id]
        found.sort(key=lambda s: int(s.id), reverse=True)
        specs = [s.name for s in parse_fields(params.get("fields"))] or ["id", "name"]
        return {"data": [_study(ctx, s, specs) for s in found]}
    raise errors.unsupported_request(method)


def business_edge(
    ctx: Context, business_id: str, method: str, params: dict[str, str]
) -> dict[str, Any] | None:
    """``/<business_id>/ad_studies``; None when no visible account has that business."""
    state = ctx.state
    owned = [
        a
        for a in state.visible_accounts(ctx.token)
        if a.business_id == business_id and state.can_see(ctx.token, a.id)
    ]
    if not owned:
        return None
    if method == "GET":
        found = [s for s in state.studies.values() if s.account_id in {a.id for a in owned}]
        found.sort(key=lambda s: int(s.id), reverse=True)
        specs = [s.name for s in parse_fields(params.get("fields"))] or ["id", "name"]
        return {"data": [_study(ctx, s, specs) for s in found]}
    if method != "POST":
        raise errors.unsupported_request(method)
    if not params.get("cells"):
        raise errors.required_param("cells")
    cells = p.json_value("cells", params["cells"])
    first = next(
        (
            str(a)
            for c in (cells if isinstance(cells, list) else [])
            if isinstance(c, dict)
            for a in (c.get("adsets") or [])
        ),
        None,
    )
    adset = state.adset(first) if first else None
    account = next((a for a in owned if adset is not None and a.id == adset.account_id), None)
    if account is None:
        raise errors.invalid_param(
            f"(#100) The cells' ad sets must belong to an ad account of business {business_id}"
        )
    return {"id": create(state, account, params).id}


def create(state: SandboxState, account: AccountRecord, params: dict[str, str]) -> StudyRecord:
    """Validate and store a new study (see the module docstring for each rule's source)."""
    for name in ("name", "type", "cells", "start_time", "end_time"):
        if not params.get(name):
            raise errors.required_param(name)
    kind = params["type"]
    if kind not in TYPES:
        raise errors.invalid_param(f"(#100) Param type must be one of {{{', '.join(TYPES)}}}")
    if kind != "SPLIT_TEST":
        raise errors.invalid_param(f"(#100) The sandbox simulates SPLIT_TEST studies only: {kind}")
    start = p.timestamp("start_time", params["start_time"])
    end = p.timestamp("end_time", params["end_time"])
    assert start is not None and end is not None
    now = state.now()
    _check_window(start, end, now)
    cells = _cells(state, account, p.json_value("cells", params["cells"]))
    _check_free(state, cells, start, end, None)
    study = StudyRecord(
        id=state.new_id(),
        account_id=account.id,
        name=params["name"][:400],
        description=params.get("description", "")[:1000],
        type=kind,
        start_time=start,
        end_time=end,
        cells=cells,
        created_time=now,
        updated_time=now,
    )
    state.studies[study.id] = study
    state.touch()
    return study


def _check_window(start: datetime, end: datetime, now: datetime) -> None:
    if start < now - START_GRACE:
        raise errors.invalid_param("(#100) The study's start_time must not be in the past")
    if end <= start:
        raise errors.invalid_param("(#100) The study's end_time must be after its start_time")
    if end - start > timedelta(days=MAX_DAYS):
        raise errors.invalid_param(f"(#100) A study can run for at most {MAX_DAYS} days")


def _cells(state: SandboxState, account: AccountRecord, raw: Any) -> list[CellRecord]:
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        raise errors.invalid_param("(#100) Param cells must be an array of objects")
    if not MIN_CELLS <= len(raw) <= MAX_CELLS:
        raise errors.invalid_param(
            f"(#100) A split test needs between {MIN_CELLS} and {MAX_CELLS} cells"
        )
    cells: list[CellRecord] = []
    seen: set[str] = set()
    total = Decimal(0)
    for index, item in enumerate(raw):
        share = _share(index, item.get("treatment_percentage"))
        total += share
        adsets = _adsets_of(state, account, item)
        if not adsets:
            raise errors.invalid_param(f"(#100) Cell {index} must list adsets or campaigns")
        clash = seen.intersection(adsets)
        if clash:
            raise errors.invalid_param(
                f"(#100) Ad set {sorted(clash)[0]} is in more than one cell: split test cells "
                "must not overlap"
            )
        seen.update(adsets)
        cells.append(
            CellRecord(
                id=state.new_id(),
                name=str(item.get("name") or f"Cell {index + 1}")[:200],
                treatment_percentage=float(share),
                adsets=adsets,
                campaigns=[str(c) for c in item.get("campaigns") or []],
                description=str(item.get("description") or "")[:500],
            )
        )
    if total != 100:
        raise errors.invalid_param(
            f"(#100) The cells' treatment_percentage must add up to 100 (got {total})"
        )
    return cells


def _share(index: int, raw: Any) -> Decimal:
    try:
        share = Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise errors.invalid_param(
            f"(#100) Param cells[{index}][treatment_percentage] must be a number"
        ) from exc
    exponent = share.as_tuple().exponent
    if (
        not share.is_finite()
        or share < 1
        or share > 100
        or (isinstance(exponent, int) and exponent < -2)
    ):
        raise errors.invalid_param(
            f"(#100) Param cells[{index}][treatment_percentage] must be between 1 and 100 "
            "with at most two digits after the decimal point"
        )
    return share


def _adsets_of(state: SandboxState, account: AccountRecord, item: dict[str, Any]) -> list[str]:
    """The cell's ad sets (a campaign stands for all of its ad sets), all in ``account``."""
    out: list[str] = []
    for adset_id in [str(a) for a in item.get("adsets") or []]:
        adset = state.adset(adset_id)
        if adset is None or adset.account_id != account.id:
            raise errors.invalid_param(
                f"(#100) Ad set {adset_id} does not exist in ad account {account.numeric_id}"
            )
        out.append(adset_id)
    for campaign_id in [str(c) for c in item.get("campaigns") or []]:
        campaign = state.campaign(campaign_id)
        if campaign is None or campaign.account_id != account.id:
            raise errors.invalid_param(
                f"(#100) Campaign {campaign_id} does not exist in ad account {account.numeric_id}"
            )
        out += [s.id for s in state.adsets_of(campaign_id) if s.id not in out]
    return out


def _check_free(
    state: SandboxState,
    cells: Sequence[CellRecord],
    start: datetime,
    end: datetime,
    ignore: str | None,
) -> None:
    """No ad set in two studies at once (assumption from the non-overlapping groups)."""
    wanted = {a for c in cells for a in c.adsets}
    for other in state.studies.values():
        if other.id == ignore or not other.running(start, end):
            continue
        clash = wanted & other.adset_ids()
        if clash:
            raise errors.invalid_param(
                f"(#100) Ad set {sorted(clash)[0]} is already in ad study {other.id} "
                "for part of these dates"
            )


# --- the study node ----------------------------------------------------------------------------


def route(
    ctx: Context, study: StudyRecord, method: str, edge: str | None, params: dict[str, str]
) -> Any:
    state = ctx.state
    if not state.can_see(ctx.token, study.account_id):
        raise errors.unknown_object(method, study.id)
    if edge == "cells":
        if method != "GET":
            raise errors.unsupported_request(method)
        specs = [s.name for s in parse_fields(params.get("fields"))] or ["id", "name"]
        return {"data": [_cell(ctx, study, c, specs) for c in study.cells]}
    if edge is not None:
        raise errors.nonexisting_field(edge, "AdStudy")
    if method == "GET":
        specs = [s.name for s in parse_fields(params.get("fields"))] or ["id", "name"]
        return _study(ctx, study, specs)
    if method == "POST":
        update(state, study, params)
        return {"success": True}
    if method == "DELETE":
        cancel(state, study)
        return {"success": True}
    raise errors.unsupported_request(method)


def update(state: SandboxState, study: StudyRecord, params: dict[str, str]) -> None:
    now = state.now()
    if study.ended(now):
        raise errors.invalid_param("(#100) This study has ended and can no longer be edited")
    start, end = study.start_time, study.end_time
    if params.get("start_time"):
        if study.start_time <= now:
            raise errors.invalid_param("(#100) The start_time of a running study cannot change")
        start = p.timestamp("start_time", params["start_time"]) or start
    if params.get("end_time"):
        end = p.timestamp("end_time", params["end_time"]) or end
        if end < now - START_GRACE:
            raise errors.invalid_param("(#100) The study's end_time must not be in the past")
        end = max(end, now)
    if params.get("cells") and study.start_time <= now:
        raise errors.invalid_param("(#100) The cells of a running study cannot change")
    if end <= start:
        raise errors.invalid_param("(#100) The study's end_time must be after its start_time")
    if end - start > timedelta(days=MAX_DAYS):
        raise errors.invalid_param(f"(#100) A study can run for at most {MAX_DAYS} days")
    study.start_time, study.end_time = start, end
    if params.get("name"):
        study.name = params["name"][:400]
    if "description" in params:
        study.description = params["description"][:1000]
    study.updated_time = now
    state.touch()


def cancel(state: SandboxState, study: StudyRecord) -> None:
    """Cancel: from now the ad sets share their audience again (what ran stays)."""
    now = state.now()
    if study.canceled_time is None:
        study.canceled_time = now
        study.end_time = min(study.end_time, max(now, study.start_time))
        study.updated_time = now
        state.touch()


def _study(ctx: Context, study: StudyRecord, specs: Sequence[str]) -> dict[str, Any]:
    account = ctx.state.accounts[study.account_id]
    values = {
        "id": lambda: study.id,
        "name": lambda: study.name,
        "description": lambda: study.description,
        "type": lambda: study.type,
        "start_time": lambda: graph_time(study.start_time, account),
        "end_time": lambda: graph_time(study.end_time, account),
        "created_time": lambda: graph_time(study.created_time, account),
        "updated_time": lambda: graph_time(study.updated_time, account),
        "canceled_time": lambda: graph_time(study.canceled_time, account),
        "cells": lambda: {
            "data": [
                _cell(ctx, study, c, ("id", "name", "treatment_percentage")) for c in study.cells
            ]
        },
    }
    out: dict[str, Any] = {}
    for name in specs:
        if name not in values:
            raise errors.nonexisting_field(name, "AdStudy")
        value = values[name]()
        if value is not None:
            out[name] = value
    out.setdefault("id", study.id)
    return out


def _cell(
    ctx: Context, study: StudyRecord, cell: CellRecord, specs: Sequence[str]
) -> dict[str, Any]:
    values = {
        "id": lambda: cell.id,
        "name": lambda: cell.name,
        "treatment_percentage": lambda: _number(cell.treatment_percentage),
        "adsets": lambda: {"data": [{"id": a} for a in cell.adsets]},
        "campaigns": lambda: {"data": [{"id": c} for c in cell.campaigns]},
        "adaccounts": lambda: {"data": [{"id": study.account_id.removeprefix("act_")}]},
    }
    out: dict[str, Any] = {}
    for name in specs:
        if name not in values:
            raise errors.nonexisting_field(name, "AdStudyCell")
        out[name] = values[name]()
    out.setdefault("id", cell.id)
    return out


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
