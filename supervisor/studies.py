"""A Meta split test riding on an approved status change: started with the test, ended with it.

An A/B test on audiences or placements starts as one ACTIVATE proposal whose new value
carries ``study`` (name, days, cells of ad sets and shares): once approved, the executor
creates the study from now for the planned days, then switches the ad sets on, so no
person is shown two cells. A PAUSE carrying ``end_study`` (stopping the test, applying
its winner, or the start's Undo) ends the study now: the ad sets share their audience
again. A platform without split tests (``supports_studies`` false) runs the ad sets as
equal-budget ad sets and the result says so.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from ads.base import AdsPlatform
from ads.errors import AdsError
from ads.studies import SplitTesting, StudyCell, StudyDraft

logger = logging.getLogger(__name__)

#: Keys a status change may carry besides the status itself (never compared or inverted).
STUDY_KEYS = ("study", "end_study")


def _splitter(ads: AdsPlatform) -> SplitTesting | None:
    if isinstance(ads, SplitTesting) and ads.supports_studies:
        return ads
    return None


def start_study(
    ads: AdsPlatform, account_id: str, spec: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """Create the study the proposal describes, from ``now``; what to add to the result."""
    splitter = _splitter(ads)
    if splitter is None:
        return {"study_skipped": ads.platform}
    draft = StudyDraft(
        name=str(spec["name"])[:400],
        start_time=now,
        end_time=now + timedelta(days=int(spec["days"])),
        cells=tuple(
            StudyCell(str(c["name"]), int(c["share"]), tuple(str(a) for a in c["adsets"]))
            for c in spec["cells"]
        ),
        description=str(spec.get("description", ""))[:1000],
    )
    study = splitter.create_study(account_id, draft)
    logger.info("study %s created on %s (%d cells)", study.id, account_id, len(study.cells))
    return {"created": {"study": study.id}}


def end_study(ads: AdsPlatform, study_id: str, now: datetime) -> dict[str, Any]:
    """End the study now (already over: left as it is); what to add to the result."""
    splitter = _splitter(ads)
    if splitter is None:
        return {}
    study = splitter.end_study(study_id, now)
    logger.info("study %s ended", study.id)
    return {"study_ended": study.id}


def undo_start(ads: AdsPlatform, started: dict[str, Any], now: datetime) -> None:
    """The activation after a new study failed: end that study (best effort, logged)."""
    study = (started.get("created") or {}).get("study")
    if not study:
        return
    try:
        end_study(ads, str(study), now)
    except AdsError:
        logger.exception("study %s: could not end it after a failed start", study)
