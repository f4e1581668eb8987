"""The sandbox's in-memory world: accounts, the ad object tree, the clock, lookups.

Writes only ever happen at the clock's "now", and the clock only moves forward,
so a completed day can never change after the fact (which is what lets the
delivery engine cache it). Each record keeps its own change log
(:mod:`ads.sandbox.records`), so delivery can ask what a budget or status *was*.

The state does not invent content: a fresh state is empty unless a ``seeder``
fills it (``ads.sandbox.demo.populate_demo`` for the demo accounts,
``ads.sandbox.scenarios`` for benchmark accounts). It can be saved to and
reloaded from a JSON file (:mod:`ads.sandbox.persistence`) and copied.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ads.sandbox.attribution import LagProfile
from ads.sandbox.clock import SimClock, hour_floor
from ads.sandbox.delivery import DeliveryEngine
from ads.sandbox.incidents import SandboxIncident, disapproved
from ads.sandbox.model import AdTruth, audience_for_targeting, random_truth, rng_for
from ads.sandbox.persistence import (
    World,
    read_world,
    world_from_json,
    world_to_json,
    write_world,
)
from ads.sandbox.records import (
    PAUSED,
    AccountRecord,
    AdRecord,
    AdSetRecord,
    AnyRecord,
    CampaignRecord,
    CreativeRecord,
    ReportRun,
)
from ads.sandbox.status import effective_status
from ads.sandbox.study_records import StudyRecord
from ads.sandbox.variants import (
    audience_multiplier,
    copy_multiplier,
    is_lookalike,
    placement_multipliers,
)

if TYPE_CHECKING:
    from ads.sandbox.delivery import DeliveryEngine
    from ads.sandbox.figures import Totals

logger = logging.getLogger(__name__)

FIRST_OBJECT_ID = 120_210_000_000_000_000
FIRST_JOB_ID = 6_000_000_000_000_000
USER_ID = "100000000000001"
USER_NAME = "Sandbox User"

#: Fills a fresh (or reset) state with accounts, e.g. ``demo.populate_demo``.
Seeder = Callable[["SandboxState"], None]


@dataclass
class SandboxConfig:
    """Behaviour switches (not persisted)."""

    #: Polls of an async insights job that answer "Job Running" before it completes.
    async_polls: int = 0
    #: Simulated minutes a new ad stays in review (no delivery, PENDING_REVIEW).
    ad_review_minutes: int = 0


class SandboxState:
    """The sandbox world. Writes, clock moves and simulation take ``lock`` (an RLock)."""

    def __init__(
        self,
        *,
        seed: int = 42,
        start: datetime | None = None,
        state_file: Path | None = None,
        seeder: Seeder | None = None,
    ) -> None:
        """An empty world at ``start`` filled by ``seeder``, or the one saved in ``state_file``."""
        self.lock = threading.RLock()
        self.seed = seed
        self.state_file = state_file
        self.seeder = seeder
        self.config = SandboxConfig()
        self.expired_tokens: set[str] = set()
        #: Optional token scoping: token -> visible account ids (absent = sees all).
        self.token_accounts: dict[str, set[str]] = {}
        self.jobs: dict[str, ReportRun] = {}
        if state_file is not None and state_file.exists():
            self._adopt(read_world(state_file))
            logger.info("sandbox state loaded from %s", state_file)
        else:
            self.start = hour_floor(start or datetime.now(UTC))
            self._fresh()
            self.save()

    # --- lifecycle ------------------------------------------------------------------

    def _fresh(self) -> None:
        self._adopt(World.empty(self.seed, self.start, FIRST_OBJECT_ID, FIRST_JOB_ID))
        if self.seeder is not None:
            self.seeder(self)

    def _adopt(self, world: World) -> None:
        self.seed = world.seed
        self.start = world.start
        self.clock = SimClock(world.now)
        self.accounts: dict[str, AccountRecord] = world.accounts
        self.campaigns: dict[str, CampaignRecord] = world.campaigns
        self.adsets: dict[str, AdSetRecord] = world.adsets
        self.ads: dict[str, AdRecord] = world.ads
        self.creatives: dict[str, CreativeRecord] = world.creatives
        #: Ad studies (split tests), served by ads/sandbox/studies.py.
        self.studies: dict[str, StudyRecord] = world.studies
        self._next_id = world.next_id
        self._next_job = world.next_job
        self.jobs = {}
        self.revision = 0
        self._engine: DeliveryEngine | None = None
        self._reindex()

    def world(self) -> World:
        """What the state stores (shared, not copied: see :meth:`copy`)."""
        return World(
            seed=self.seed,
            start=self.start,
            now=self.now(),
            next_id=self._next_id,
            next_job=self._next_job,
            accounts=self.accounts,
            campaigns=self.campaigns,
            adsets=self.adsets,
            ads=self.ads,
            creatives=self.creatives,
            studies=self.studies,
        )

    def copy(self, *, state_file: Path | None = None) -> SandboxState:
        """An independent state with the same objects, history, clock and config.

        Benchmarks start every strategy from one copy of the same world; what
        one strategy writes never reaches another. Delivery is recomputed from
        the seed, so a copy reports exactly the figures the original would.
        """
        with self.lock:
            world = world_from_json(world_to_json(self.world()))
            clone = SandboxState(seed=self.seed, start=self.start, seeder=self.seeder)
            clone._adopt(world)
            clone.config = replace(self.config)
            clone.state_file = state_file
            clone.save()
            return clone

    def reset(self) -> None:
        """Back to the freshly seeded world (the seeder's accounts) at the original start time."""
        with self.lock:
            self.expired_tokens.clear()
            self._fresh()
            self.save()

    @property
    def engine(self) -> DeliveryEngine:
        if self._engine is None:
            self._engine = DeliveryEngine(self)
        return self._engine

    def touch(self) -> None:
        """Note a write: today's cached figures are stale; persist."""
        self.revision += 1
        self.save()

    # --- clock --------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    def advance_clock(self, *, days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
        with self.lock:
            moment = self.clock.advance(timedelta(days=days, hours=hours, minutes=minutes))
            self.revision += 1
            self.save()
            return moment

    def set_clock(self, moment: datetime) -> datetime:
        with self.lock:
            result = self.clock.set(moment)
            self.revision += 1
            self.save()
            return result

    def today(self, account_id: str) -> date:
        return self.now().astimezone(self.accounts[account_id].tz).date()

    # --- ids ----------------------------------------------------------------------------

    def new_id(self) -> str:
        with self.lock:
            self._next_id += 1
            return str(self._next_id)

    def new_job_id(self) -> str:
        with self.lock:
            self._next_job += 1
            return str(self._next_job)

    # --- lookups ------------------------------------------------------------------------

    def account(self, account_id: str) -> AccountRecord | None:
        return self.accounts.get(
            account_id if account_id.startswith("act_") else f"act_{account_id}"
        )

    def campaign(self, campaign_id: str) -> CampaignRecord | None:
        return self.campaigns.get(campaign_id)

    def adset(self, adset_id: str) -> AdSetRecord | None:
        return self.adsets.get(adset_id)

    def ad(self, ad_id: str) -> AdRecord | None:
        return self.ads.get(ad_id)

    def creative(self, creative_id: str) -> CreativeRecord | None:
        return self.creatives.get(creative_id)

    def node(self, object_id: str) -> AnyRecord | None:
        if object_id.startswith("act_"):
            return self.accounts.get(object_id)
        for table in (self.campaigns, self.adsets, self.ads, self.creatives):
            record = table.get(object_id)
            if record is not None:
                return record  # type: ignore[return-value]
        return None

    def campaigns_of(self, account_id: str) -> list[CampaignRecord]:
        return [self.campaigns[i] for i in self._children.get(account_id, ())]

    def adsets_of(self, parent_id: str) -> list[AdSetRecord]:
        if parent_id.startswith("act_"):
            return [s for c in self.campaigns_of(parent_id) for s in self.adsets_of(c.id)]
        return [self.adsets[i] for i in self._children.get(parent_id, ())]

    def ads_of(self, parent_id: str) -> list[AdRecord]:
        """Ads under an account, campaign or ad set (or the ad itself)."""
        if parent_id in self.ads:
            return [self.ads[parent_id]]
        if parent_id in self.adsets:
            return [self.ads[i] for i in self._children.get(parent_id, ())]
        return [a for s in self.adsets_of(parent_id) for a in self.ads_of(s.id)]

    def creatives_of(self, account_id: str) -> list[CreativeRecord]:
        return [self.creatives[i] for i in self._creatives_by_account.get(account_id, ())]

    def _index(self, parent_id: str, child_id: str) -> None:
        self._children.setdefault(parent_id, []).append(child_id)

    def _reindex(self) -> None:
        self._children: dict[str, list[str]] = {}
        self._creatives_by_account: dict[str, list[str]] = {}
        for campaign in self.campaigns.values():
            self._index(campaign.account_id, campaign.id)
        for adset in self.adsets.values():
            self._index(adset.campaign_id, adset.id)
        for ad in self.ads.values():
            self._index(ad.adset_id, ad.id)
        for creative in self.creatives.values():
            self._creatives_by_account.setdefault(creative.account_id, []).append(creative.id)

    def visible_accounts(self, token: str | None, platform: str = "meta") -> list[AccountRecord]:
        allowed = self.token_accounts.get(token or "")
        accounts = sorted(
            (a for a in self.accounts.values() if a.platform == platform),
            key=lambda a: int(a.numeric_id),
        )
        if allowed is None:
            return accounts
        return [a for a in accounts if a.id in allowed]

    def can_see(self, token: str | None, account_id: str, platform: str = "meta") -> bool:
        account = self.accounts.get(account_id)
        if account is not None and account.platform != platform:
            return False
        allowed = self.token_accounts.get(token or "")
        return allowed is None or account_id in allowed

    # --- typed writes (the Graph layer validates parameters before calling these) -----

    def add_account(
        self,
        account_id: str,
        *,
        name: str,
        currency: str,
        timezone: str,
        business_id: str | None = None,
        business_name: str | None = None,
        created: datetime | None = None,
        spend_cap: int = 0,
        lag: LagProfile | None = None,
        noise: float = 1.0,
        platform: str = "meta",
    ) -> AccountRecord:
        """``lag`` and ``noise`` are simulation-only (see :mod:`ads.sandbox.attribution`)."""
        with self.lock:
            numeric = account_id.removeprefix("act_")
            record = AccountRecord.create(
                created or self.now(),
                id=f"act_{numeric}",
                account_id=f"act_{numeric}",
                name=name,
                currency=currency,
                timezone=timezone,
                business_id=business_id or f"9{numeric:0>14}",
                business_name=business_name or name,
                spend_cap=spend_cap,
                lag=lag,
                noise=noise,
                platform=platform,
            )
            self.accounts[record.id] = record
            return record

    def add_campaign(
        self,
        account_id: str,
        *,
        name: str,
        objective: str,
        status: str = PAUSED,
        daily_budget: int | None = None,
        lifetime_budget: int | None = None,
        bid_strategy: str | None = None,
        special_ad_categories: list[str] | None = None,
        start_time: datetime | None = None,
        stop_time: datetime | None = None,
        at: datetime | None = None,
    ) -> CampaignRecord:
        with self.lock:
            when = (at or self.now()).astimezone(UTC)
            record = CampaignRecord.create(
                when,
                id=self.new_id(),
                account_id=account_id,
                name=name,
                objective=objective,
                status=status,
                daily_budget=daily_budget,
                lifetime_budget=lifetime_budget,
                bid_strategy=bid_strategy
                or ("LOWEST_COST_WITHOUT_CAP" if daily_budget or lifetime_budget else None),
                special_ad_categories=list(special_ad_categories or []),
                start_time=start_time or when,
                stop_time=stop_time,
            )
            self.campaigns[record.id] = record
            self._index(account_id, record.id)
            self._written(at)
            return record

    def add_adset(
        self,
        campaign_id: str,
        *,
        name: str,
        status: str = PAUSED,
        daily_budget: int | None = None,
        lifetime_budget: int | None = None,
        optimization_goal: str = "OFFSITE_CONVERSIONS",
        billing_event: str = "IMPRESSIONS",
        bid_strategy: str | None = None,
        bid_amount: int | None = None,
        targeting: dict[str, Any] | None = None,
        promoted_object: dict[str, Any] | None = None,
        start_time: datetime | None = None,
        end_time: datetime | None = None,
        audience_size: int | None = None,
        churn: float | None = None,
        at: datetime | None = None,
    ) -> AdSetRecord:
        """``audience_size`` and ``churn`` (simulation only) default from the targeting."""
        with self.lock:
            campaign = self.campaigns[campaign_id]
            when = (at or self.now()).astimezone(UTC)
            adset_id = self.new_id()
            spec = targeting or {"geo_locations": {"countries": ["BR"]}}
            if audience_size is None:
                audience_size = audience_for_targeting(spec, rng_for(self.seed, "aud", adset_id))
            if churn is None:
                churn = 0.15 if spec.get("custom_audiences") and not is_lookalike(spec) else 0.02
            record = AdSetRecord.create(
                when,
                id=adset_id,
                account_id=campaign.account_id,
                name=name,
                campaign_id=campaign_id,
                status=status,
                daily_budget=daily_budget,
                lifetime_budget=lifetime_budget,
                optimization_goal=optimization_goal,
                billing_event=billing_event,
                bid_strategy=bid_strategy,
                bid_amount=bid_amount,
                targeting=spec,
                promoted_object=promoted_object,
                start_time=start_time or when,
                end_time=end_time,
                audience_size=audience_size,
                churn=churn,
            )
            self.adsets[record.id] = record
            self._index(campaign_id, record.id)
            self._written(at)
            return record

    def add_creative(
        self,
        account_id: str,
        *,
        name: str,
        title: str = "",
        body: str = "",
        link_url: str = "",
        image_url: str = "",
        call_to_action_type: str = "",
        page_id: str = "",
        object_story_spec: dict[str, Any] | None = None,
        video: bool = False,
        at: datetime | None = None,
    ) -> CreativeRecord:
        with self.lock:
            record = CreativeRecord.create(
                at or self.now(),
                id=self.new_id(),
                account_id=account_id,
                name=name,
                title=title,
                body=body,
                link_url=link_url,
                image_url=image_url,
                call_to_action_type=call_to_action_type,
                page_id=page_id,
                object_story_spec=object_story_spec,
                video=video,
            )
            self.creatives[record.id] = record
            self._creatives_by_account.setdefault(account_id, []).append(record.id)
            self._written(at)
            return record

    def add_ad(
        self,
        adset_id: str,
        *,
        name: str,
        creative_id: str,
        status: str = PAUSED,
        truth: AdTruth | None = None,
        at: datetime | None = None,
    ) -> AdRecord:
        """Without a ``truth`` the ad gets a plausible random one (seeded by its id)."""
        with self.lock:
            adset = self.adsets[adset_id]
            campaign = self.campaigns[adset.campaign_id]
            ad_id = self.new_id()
            if truth is None:  # the variants' known differences: ads/sandbox/variants.py
                base = random_truth(
                    rng_for(self.seed, "truth", campaign.id),
                    campaign.objective,
                    self.accounts[adset.account_id].currency,
                )
                creative = self.creatives[creative_id]
                cpm_x, ctr_x = placement_multipliers(adset.targeting or {})
                truth = AdTruth(
                    **{
                        **base.to_json(),
                        "ctr": round(
                            base.ctr * ctr_x * copy_multiplier(f"{creative.title} {creative.body}"),
                            6,
                        ),
                        "cvr": round(base.cvr * audience_multiplier(adset.targeting or {}), 6),
                        "cpm": round(base.cpm * cpm_x),
                    }
                )
                if self.creatives[creative_id].video:
                    truth = AdTruth(**{**truth.to_json(), "video_rate": 0.25})
            record = AdRecord.create(
                at or self.now(),
                id=ad_id,
                account_id=adset.account_id,
                name=name,
                campaign_id=campaign.id,
                adset_id=adset_id,
                status=status,
                creative_id=creative_id,
                truth=truth,
            )
            self.ads[record.id] = record
            self._index(adset_id, record.id)
            self._written(at)
            return record

    def update(
        self, object_id: str, changes: dict[str, Any], *, at: datetime | None = None
    ) -> None:
        """Apply field changes from ``at`` (default: now); tracked fields go to the change log."""
        with self.lock:
            record = self.node(object_id)
            if record is None:
                raise KeyError(object_id)
            when = (at or self.now()).astimezone(UTC)
            for name, value in changes.items():
                if name in record.TRACKED:
                    record.record(name, value, when)
                else:
                    setattr(record, name, value)
            record.updated_time = max(record.updated_time, when)
            self._written(at)

    def _written(self, at: datetime | None) -> None:
        # Writes "now" invalidate today's figures and persist; back-dated writes
        # (demo construction) are batched by their caller.
        if at is None:
            self.touch()

    # --- status ------------------------------------------------------------------------

    def effective_status(self, record: AnyRecord, at: datetime | None = None) -> str:
        """Meta's ``effective_status``: the object's own status combined with its parents'."""
        moment = at or self.now()
        campaign = adset = None
        if isinstance(record, AdRecord | AdSetRecord):
            campaign = self.campaigns[record.campaign_id]
        if isinstance(record, AdRecord):
            adset = self.adsets[record.adset_id]
        review = isinstance(record, AdRecord) and self.in_review(record, moment)
        status = effective_status(record, moment, campaign=campaign, adset=adset, in_review=review)
        if (
            isinstance(record, AdRecord)
            and status == "ACTIVE"
            and record.id in self.disapproved(record.account_id, moment)
        ):
            return "DISAPPROVED"
        return status

    # --- injected incidents (ads.sandbox.incidents) ---------------------------------------

    def disapproved(self, account_id: str, at: datetime) -> set[str]:
        """The account's ads an injected disapproval blocks at ``at``."""
        account = self.accounts.get(account_id)
        if account is None or not account.incidents:
            return set()
        ads = [ad.id for ad in self.ads.values() if ad.account_id == account_id]
        return disapproved(account.incidents, ads, at)

    def inject_incident(self, account_id: str, incident: SandboxIncident) -> SandboxIncident:
        """Switch an incident on from ``incident.start`` (at or after the clock)."""
        with self.lock:
            account = self.accounts.get(account_id)
            if account is None:
                raise KeyError(f"unknown ad account {account_id}")
            if incident.start < self.now() - timedelta(minutes=1):
                raise ValueError("an incident starts at or after the sandbox clock")
            account.incidents = (*account.incidents, incident)
            self.touch()
            return incident

    def clear_incidents(self, account_id: str) -> int:
        """End every injected incident of the account now (what already happened stays)."""
        with self.lock:
            account = self.accounts[account_id]
            now = self.now()
            kept = []
            for incident in account.incidents:
                if incident.start >= now:
                    continue  # never started: forget it
                if incident.active(now):
                    hours = (now - incident.start).total_seconds() / 3600
                    incident = replace(incident, hours=hours)
                kept.append(incident)
            ended = sum(1 for i in account.incidents if i.active(now) or i.start >= now)
            account.incidents = tuple(kept)
            self.touch()
            return ended

    def in_review(self, ad: AdRecord, moment: datetime) -> bool:
        minutes = self.config.ad_review_minutes
        return minutes > 0 and moment < ad.created_time + timedelta(minutes=minutes)

    # --- delivery ----------------------------------------------------------------------

    def totals(self, object_id: str, since: date, until: date, *, settled: bool = False) -> Totals:
        """The sandbox's own delivery figures for an object over local days ``since..until``.

        ``settled=False`` gives what Graph reports right now (attribution lag
        included); ``settled=True`` the figures once every conversion has arrived.
        Deleted and archived children are included (like Graph at account level).
        """
        with self.lock:
            return self.engine.totals(object_id, since, until, settled=settled)

    # --- persistence --------------------------------------------------------------------

    def save(self) -> None:
        """Write the world to ``state_file`` atomically (no-op without a file)."""
        if self.state_file is None:
            return
        with self.lock:
            write_world(self.state_file, self.world())
