"""The sandbox world on disk: one versioned JSON document, written atomically.

Why a file at all: a developer's sandbox (``mediabrain sandbox``) should keep
the campaigns they created, their changes and the simulated clock across
restarts. Only what cannot be recomputed is stored (objects, change logs, the
clock, id counters); delivery figures are derived again from the seed.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ads.sandbox.records import (
    AccountRecord,
    AdRecord,
    AdSetRecord,
    CampaignRecord,
    CreativeRecord,
    from_iso,
    to_iso,
)
from ads.sandbox.study_records import StudyRecord

STATE_VERSION = 1


@dataclass
class World:
    """Everything a sandbox stores: its objects, clock and id counters."""

    seed: int
    start: datetime
    now: datetime
    next_id: int
    next_job: int
    accounts: dict[str, AccountRecord]
    campaigns: dict[str, CampaignRecord]
    adsets: dict[str, AdSetRecord]
    ads: dict[str, AdRecord]
    creatives: dict[str, CreativeRecord]
    #: Ad studies (split tests): ads/sandbox/studies.py. Older files have none.
    studies: dict[str, StudyRecord] = field(default_factory=dict)

    @classmethod
    def empty(cls, seed: int, start: datetime, next_id: int, next_job: int) -> World:
        return cls(seed, start, start, next_id, next_job, {}, {}, {}, {}, {})


def world_to_json(world: World) -> dict[str, Any]:
    return {
        "version": STATE_VERSION,
        "seed": world.seed,
        "start": to_iso(world.start),
        "now": to_iso(world.now),
        "next_id": world.next_id,
        "next_job": world.next_job,
        "accounts": [a.to_json() for a in world.accounts.values()],
        "campaigns": [c.to_json() for c in world.campaigns.values()],
        "adsets": [s.to_json() for s in world.adsets.values()],
        "ads": [a.to_json() for a in world.ads.values()],
        "creatives": [c.to_json() for c in world.creatives.values()],
        "ad_studies": [s.to_json() for s in world.studies.values()],
    }


def world_from_json(data: dict[str, Any]) -> World:
    if data.get("version") != STATE_VERSION:
        raise ValueError(f"unsupported sandbox state version {data.get('version')!r}")
    start, now = from_iso(data["start"]), from_iso(data["now"])
    if start is None or now is None:
        raise ValueError("sandbox state without a start or a clock")
    return World(
        seed=data["seed"],
        start=start,
        now=now,
        next_id=data["next_id"],
        next_job=data["next_job"],
        accounts={a["id"]: AccountRecord.from_json(a) for a in data["accounts"]},
        campaigns={c["id"]: CampaignRecord.from_json(c) for c in data["campaigns"]},
        adsets={s["id"]: AdSetRecord.from_json(s) for s in data["adsets"]},
        ads={a["id"]: AdRecord.from_json(a) for a in data["ads"]},
        creatives={c["id"]: CreativeRecord.from_json(c) for c in data["creatives"]},
        studies={s["id"]: StudyRecord.from_json(s) for s in data.get("ad_studies", [])},
    )


def read_world(path: Path) -> World:
    return world_from_json(json.loads(path.read_text("utf-8")))


def write_world(path: Path, world: World) -> None:
    """Replace ``path`` atomically (a crash leaves the old file, never half a new one)."""
    payload = json.dumps(world_to_json(world), ensure_ascii=False, separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".sandbox-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
