"""Meta split tests through the SDK: an ``AdStudy`` created with ``Business.create_ad_study``
on the ad account's business (the edge Meta's reference documents), or on the account's
``ad_studies`` edge when the account has no business; read with its ``cells``; ended by
moving its ``end_time`` to now (or cancelled before it starts).

Creation is not retried blindly: after an unclear failure the account's studies are
listed and a study with the same name counts as created (``ads.meta_writes.create_once``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from facebook_business.adobjects.adstudy import AdStudy
from facebook_business.adobjects.business import Business
from facebook_business.api import FacebookRequest

from ads.graph import GraphApi, account_scope
from ads.meta_mappers import graph_data
from ads.meta_writes import create_once, read_node
from ads.retry import RetryPolicy
from ads.studies import Study, StudyCell, StudyDraft

STUDY_FIELDS = ["id", "name", "start_time", "end_time", "canceled_time"]
CELL_FIELDS = ["id", "name", "treatment_percentage", "adsets"]


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    text = str(value)
    if text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    return datetime.fromisoformat(text).astimezone(UTC)


def create_study(
    api: GraphApi,
    account_id: str,
    draft: StudyDraft,
    *,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
) -> str:
    params = {
        "name": draft.name,
        "description": draft.description,
        "type": AdStudy.Type.split_test,
        "start_time": int(draft.start_time.timestamp()),
        "end_time": int(draft.end_time.timestamp()),
        "cells": [
            {
                "name": cell.name,
                "treatment_percentage": cell.treatment_percentage,
                "adsets": list(cell.adset_ids),
            }
            for cell in draft.cells
        ],
    }

    business = (read_node(api, account_id, ["business"]).get("business") or {}).get("id")

    def post() -> Any:
        if business:
            return Business(str(business), api=api).create_ad_study(params=params)
        request = FacebookRequest(
            node_id=account_id,
            method="POST",
            endpoint="/ad_studies",
            api=api,
            target_class=AdStudy,
        )
        request.add_params(params)
        return request.execute().json()

    def existing() -> list[tuple[str, str]]:
        request = FacebookRequest(node_id=account_id, method="GET", endpoint="/ad_studies", api=api)
        request.add_params({"fields": "id,name"})
        body = request.execute().json()
        return [(str(s["id"]), str(s.get("name", ""))) for s in body.get("data", [])]

    return create_once(
        account_id, draft.name, post=post, existing=existing, policy=policy, sleep=sleep
    )


def get_study(api: GraphApi, study_id: str) -> Study:
    """The study and its cells (the cells' ``adsets`` are asked as Meta's reference shows;
    the SDK's ``AdStudyCell`` does not list that field, so the edge is read as plain JSON)."""
    data = graph_data(AdStudy(study_id, api=api).api_get(fields=STUDY_FIELDS))
    request = FacebookRequest(node_id=study_id, method="GET", endpoint="/cells", api=api)
    request.add_params({"fields": ",".join(CELL_FIELDS), "limit": 50})
    cells = request.execute().json().get("data", [])
    return Study(
        id=str(data["id"]),
        name=str(data.get("name", "")),
        start_time=_time(data.get("start_time")),
        end_time=_time(data.get("end_time")),
        cells=tuple(
            StudyCell(
                name=str(c.get("name", "")),
                treatment_percentage=round(float(c.get("treatment_percentage") or 0)),
                adset_ids=tuple(str(a["id"]) for a in (c.get("adsets") or {}).get("data", [])),
            )
            for c in cells
        ),
        canceled=bool(data.get("canceled_time")),
    )


def end_study(api: GraphApi, account_id: str, study_id: str, at: datetime) -> Study:
    """End the study at ``at``: its end time moves there (Meta lets it change until the study
    ends); one that has not started is cancelled; one already over is left as it is."""
    with account_scope(account_id):
        study = get_study(api, study_id)
        if study.canceled or (study.end_time is not None and study.end_time <= at):
            return study
        if study.start_time is not None and study.start_time >= at:
            AdStudy(study_id, api=api).api_delete()
        else:
            AdStudy(study_id, api=api).api_update(params={"end_time": int(at.timestamp())})
        return get_study(api, study_id)
