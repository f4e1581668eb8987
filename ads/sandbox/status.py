"""Meta's ``effective_status``: what an object's own status means once its parents count.

Why it matters: an ad that is ACTIVE under a paused campaign does not deliver,
and Graph says so with ``CAMPAIGN_PAUSED``; the connector and the product read
that field, so the sandbox must derive it the same way.
"""

from __future__ import annotations

from datetime import datetime

from ads.sandbox.records import (
    ACTIVE,
    ARCHIVED,
    DELETED,
    PAUSED,
    AccountRecord,
    AdRecord,
    AdSetRecord,
    AnyRecord,
    CampaignRecord,
    CreativeRecord,
    Tracked,
)


def effective_status(
    record: AnyRecord,
    moment: datetime,
    *,
    campaign: CampaignRecord | None = None,
    adset: AdSetRecord | None = None,
    in_review: bool = False,
) -> str:
    """The status Graph shows at ``moment``, given the record's parents (an ad: both)."""
    if isinstance(record, AccountRecord):
        return ACTIVE
    if isinstance(record, CreativeRecord):
        return record.status
    own = record.value_at("status", moment)
    if own in (DELETED, ARCHIVED):
        return own
    chain: list[tuple[str, Tracked]] = []
    if isinstance(record, AdRecord | AdSetRecord) and campaign is not None:
        chain.append(("CAMPAIGN", campaign))
    if isinstance(record, AdRecord) and adset is not None:
        chain.append(("ADSET", adset))
    for label, parent in chain:
        status = parent.value_at("status", moment)
        if status in (DELETED, ARCHIVED):
            return status
        if status == PAUSED:
            return f"{label}_PAUSED"
    if own == PAUSED:
        return PAUSED
    if isinstance(record, AdRecord) and in_review:
        return "PENDING_REVIEW"
    return ACTIVE
