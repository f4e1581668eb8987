"""The delivery engine: what every ad delivered on every local day, as exact integers.

Delivery is simulated per campaign and per local day (in the account's
timezone) because budgets are shared inside a campaign: a paused sibling or a
new ad changes everyone's share from that moment on. A day is cut into
intervals at every change in the campaign's subtree (status, budget, new ads);
within an interval each active ad spends its budget share linearly in time
(pacing), buying impressions at that hour's CPM.

Completed days never change (writes only happen at the clock's "now"), so they
are computed once, in order (fatigue needs yesterday's cumulative exposure),
and cached. Today is recomputed per question (memoised per state revision).

Purchases are drawn once per ad-day with a fixed quantile, each with its own
report lag and order value; what Graph "reports" for a day is the subset whose
lag has elapsed, so numbers for a recent day grow for up to 7 days (most in the
first 3) and then settle; the lag profile is the account's (:mod:`ads.sandbox.attribution`).

Per interval, each ad's price and conversion rate combine its own returns, its ad
set's returns (audience), the learning phase (:mod:`ads.sandbox.learning`), the
hour, weekday, season and the account's auction shock (:mod:`ads.sandbox.model`).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ads.sandbox import incidents as injected
from ads.sandbox import learning, model
from ads.sandbox.attribution import LagProfile, default_lag_profile
from ads.sandbox.budgets import budget_shares
from ads.sandbox.figures import AdDay, Totals
from ads.sandbox.localtime import HourCurve, day_bounds, local_day
from ads.sandbox.records import ACTIVE, AccountRecord, AdRecord, AdSetRecord, CampaignRecord
from ads.sandbox.study_records import audience_share

if TYPE_CHECKING:
    from ads.sandbox.state import SandboxState

#: Most impressions an ad set can buy per fresh person per day.
MAX_DAILY_FREQUENCY = 1.6
LANDING_PAGE_VIEW_RATE = 0.8
REACTION_RATE = 0.0012


@dataclass
class _Series:
    """Completed days of one campaign, computed in order from its first day."""

    first_day: date
    days: list[dict[str, AdDay]] = field(default_factory=list)
    cumulative: dict[str, float] = field(default_factory=dict)  # decayed impressions per ad
    #: Per ad set: optimisation events since its last significant edit (completed days).
    progress: dict[str, learning.Progress] = field(default_factory=dict)

    @property
    def next_day(self) -> date:
        return self.first_day + timedelta(days=len(self.days))


@dataclass(frozen=True)
class _DayParams:
    ctr: float
    cvr: float
    cpm: float  # before hour and scale multipliers
    pace: float
    u_conv: float
    aov: float
    capacity: float  # minor units per day
    audience: float
    score: float
    adset_efficient: float  # the ad set's efficient daily spend, minor units
    learning_noise: float  # conversion-rate noise while the ad set is learning


class DeliveryEngine:
    """Computes and caches :class:`AdDay` figures for a :class:`SandboxState`."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self._series: dict[str, _Series] = {}
        self._today: dict[tuple[str, date], tuple[int, datetime, dict[str, AdDay]]] = {}
        self._curves: dict[tuple[str, date], HourCurve] = {}
        self._shocks: dict[tuple[str, date], float] = {}

    # --- public -----------------------------------------------------------------------

    def campaign_day(self, campaign_id: str, day: date) -> dict[str, AdDay]:
        """Every ad of the campaign that delivered on local ``day`` (as of now)."""
        state = self.state
        campaign = state.campaigns[campaign_id]
        account = state.accounts[campaign.account_id]
        now = state.now()
        start, end = day_bounds(day, account)
        if start >= now:
            return {}
        series = self._series.get(campaign_id)
        if series is None:
            series = _Series(first_day=local_day(campaign.created_time, account))
            self._series[campaign_id] = series
        if day < series.first_day:
            return {}
        while series.next_day <= day and day_bounds(series.next_day, account)[1] <= now:
            result, cumulative, progress = self._compute(campaign, series.next_day, series, now)
            series.days.append(result)
            series.cumulative = cumulative
            series.progress = progress
        if end <= now:
            return series.days[(day - series.first_day).days]
        cached = self._today.get((campaign_id, day))
        if cached and cached[0] == state.revision and cached[1] == now:
            return cached[2]
        result, _, _ = self._compute(campaign, day, series, now)
        self._today[(campaign_id, day)] = (state.revision, now, result)
        return result

    def ad_days(self, ads: list[AdRecord], since: date, until: date) -> list[AdDay]:
        """All ad-days with delivery for ``ads`` between local days ``since..until``."""
        by_campaign: dict[str, set[str]] = defaultdict(set)
        for ad in ads:
            by_campaign[ad.campaign_id].add(ad.id)
        result: list[AdDay] = []
        for campaign_id, ids in by_campaign.items():
            day = since
            while day <= until:
                for ad_id, ad_day in self.campaign_day(campaign_id, day).items():
                    if ad_id in ids:
                        result.append(ad_day)
                day += timedelta(days=1)
        return result

    def totals(self, object_id: str, since: date, until: date, *, settled: bool) -> Totals:
        ads = self.state.ads_of(object_id)
        now = None if settled else self.state.now()
        totals = Totals()
        blind = (
            injected.pixel_windows(self.state.accounts[ads[0].account_id].incidents) if ads else ()
        )
        for ad_day in self.ad_days(ads, since, until):
            totals.add_day(ad_day, ad_day.reported(now, blind))
        return totals

    def lifetime_spend(self, account_id: str) -> int:
        """Everything the account has spent up to now (Graph's ``amount_spent``)."""
        state = self.state
        account = state.accounts[account_id]
        campaigns = state.campaigns_of(account_id)
        if not campaigns:
            return 0
        first = min(local_day(c.created_time, account) for c in campaigns)
        today = local_day(state.now(), account)
        total = 0
        for campaign in campaigns:
            day = max(first, local_day(campaign.created_time, account))
            while day <= today:
                total += sum(d.spend for d in self.campaign_day(campaign.id, day).values())
                day += timedelta(days=1)
        return total

    # --- simulation ----------------------------------------------------------------------

    def _compute(
        self,
        campaign: CampaignRecord,
        day: date,
        series: _Series,
        now: datetime,
    ) -> tuple[dict[str, AdDay], dict[str, float], dict[str, learning.Progress]]:
        """One day of a campaign: its ad-days, the decayed exposure and learning progress after it."""
        state = self.state
        cumulative = series.cumulative
        account = state.accounts[campaign.account_id]
        start, end = day_bounds(day, account)
        window_end = min(end, now)
        complete = end <= now
        adsets = state.adsets_of(campaign.id)
        ads_by_adset = {
            s.id: [ad for ad in state.ads_of(s.id) if ad.created_time < window_end] for s in adsets
        }
        ads = [ad for group in ads_by_adset.values() for ad in group]
        decayed = self._decay(cumulative, ads, adsets)
        edits = {s.id: learning.significant_edits(campaign, s, state.ads_of(s.id)) for s in adsets}
        if not ads or window_end <= start:
            return {}, decayed, self._progress(series, edits, {}, start, end, complete)

        params = self._day_params(day, account, adsets, ads_by_adset, cumulative)
        points = {start, window_end}
        for record in (account, campaign, *adsets, *ads):
            points.update(record.change_times(start, window_end))
        for ad in ads:
            if start < ad.created_time < window_end:
                points.add(ad.created_time)
            review_end = ad.created_time + timedelta(minutes=state.config.ad_review_minutes)
            if start < review_end < window_end:
                points.add(review_end)
        for incident in account.incidents:
            points.update(m for m in incident.bounds() if start < m < window_end)
        cuts = sorted(points)

        day_seconds = (end - start).total_seconds()
        curve = self._curve(account, day, start, end)
        weekday = day.weekday()
        season_cpm, season_cvr = model.seasonality(day)
        market_cpm = season_cpm * self._shock(account, day)
        spend_f: dict[str, float] = defaultdict(float)
        imps_f: dict[str, float] = defaultdict(float)
        conv_f: dict[str, float] = defaultdict(float)
        clicked_f: dict[str, float] = defaultdict(float)  # impressions weighted by a CTR drop
        learnt: set[str] = set()
        for a, b in itertools.pairwise(cuts):
            if b <= a:
                continue
            rates = self._rates(account, campaign, adsets, ads_by_adset, a, params)
            # Injected incidents (ads.sandbox.incidents): a stall slows the pace, a shock
            # raises the price, a broken pixel loses the purchases made meanwhile.
            stall = injected.pace_multiplier(account.incidents, a)
            shock = injected.cpm_multiplier(account.incidents, a)
            pixel = 0.0 if injected.pixel_broken(account.incidents, a) else 1.0
            pixel *= injected.conversion_multiplier(account.incidents, a)
            click_rate = injected.ctr_multiplier(account.incidents, a)
            effective_rates = {
                ad_id: min(rate, params[ad_id].capacity) * params[ad_id].pace * stall
                for ad_id, rate in rates.items()
            }
            adset_rates: dict[str, float] = defaultdict(float)
            for ad_id, effective in effective_rates.items():
                adset_rates[state.ads[ad_id].adset_id] += effective
            learning_now = {
                sid
                for sid in adset_rates
                if learning.is_learning(
                    learning.last_edit(edits[sid], a), series.progress.get(sid), a
                )
            }
            learnt |= learning_now
            for ad_id, effective in effective_rates.items():
                p = params[ad_id]
                ad = state.ads[ad_id]
                truth = ad.truth
                if effective <= 0:
                    continue
                adset_rate = adset_rates[ad.adset_id]
                cpm = p.cpm * model.cpm_scale_multiplier(effective, truth.scale)
                cvr = p.cvr * model.cvr_scale_multiplier(effective, truth.scale)
                cpm *= model.adset_cpm_multiplier(adset_rate, p.adset_efficient)
                cvr *= model.adset_cvr_multiplier(adset_rate, p.adset_efficient)
                if ad.adset_id in learning_now:
                    cpm *= learning.CPM_MULTIPLIER
                    cvr *= learning.CVR_MULTIPLIER * p.learning_noise
                cvr *= model.WEEKDAY_CVR[weekday] * season_cvr
                cpm *= model.WEEKDAY_CPM[weekday] * market_cpm * shock
                seconds = (b - a).total_seconds()
                spent = effective * seconds / day_seconds
                # Impressions bought at each hour's price: the integral of 1/hour-multiplier.
                bought = effective / day_seconds * 1000 / cpm * (curve.at(b) - curve.at(a))
                spend_f[ad_id] += spent
                imps_f[ad_id] += bought
                clicked_f[ad_id] += bought * click_rate
                conv_f[ad_id] += bought * click_rate * p.ctr * truth.link_share * cvr * pixel

        result: dict[str, AdDay] = {}
        lag = self._lag(account)
        for ad in ads:
            spend = model.round_minor(spend_f.get(ad.id, 0.0))
            impressions = round(imps_f.get(ad.id, 0.0))
            if spend <= 0 and impressions <= 0:
                continue
            result[ad.id] = self._ad_day(
                ad,
                day,
                end,
                complete,
                spend,
                (imps_f[ad.id], conv_f[ad.id], clicked_f[ad.id]),
                params[ad.id],
                lag,
                ad.adset_id in learnt,
            )
            decayed[ad.id] = decayed.get(ad.id, 0.0) + result[ad.id].impressions
        return result, decayed, self._progress(series, edits, result, start, end, complete)

    def _progress(
        self,
        series: _Series,
        edits: dict[str, list[datetime]],
        result: dict[str, AdDay],
        start: datetime,
        end: datetime,
        complete: bool,
    ) -> dict[str, learning.Progress]:
        """Learning progress after a completed day (unchanged for today, still running)."""
        if not complete:
            return series.progress
        events: dict[str, int] = defaultdict(int)
        for ad_day in result.values():
            goal = self.state.adsets[ad_day.adset_id].optimization_goal
            events[ad_day.adset_id] += learning.optimisation_events(ad_day, goal)
        progress = {}
        for adset_id, moments in edits.items():
            after = learning.advance(
                series.progress.get(adset_id),
                learning.last_edit(moments, end),
                start,
                end,
                events.get(adset_id, 0),
            )
            if after is not None:
                progress[adset_id] = after
        return progress

    def _shock(self, account: AccountRecord, day: date) -> float:
        key = (account.id, day)
        shock = self._shocks.get(key)
        if shock is None:
            shock = model.auction_shock(self.state.seed, account.id, day, account.noise)
            self._shocks[key] = shock
        return shock

    def _lag(self, account: AccountRecord) -> LagProfile:
        return account.lag or default_lag_profile(self.state.seed, account.id)

    def _ad_day(
        self,
        ad: AdRecord,
        day: date,
        end: datetime,
        complete: bool,
        spend: int,
        # impressions, expected conversions, impressions weighted by the CTR: unrounded
        delivered: tuple[float, float, float],
        p: _DayParams,
        lag_profile: LagProfile,
        learnt: bool,
    ) -> AdDay:
        truth = ad.truth
        impressions_f, conversions_f, clicked_f = delivered
        churn = self.state.adsets[ad.adset_id].churn
        impressions = round(impressions_f)
        clicks_f = clicked_f * p.ctr
        clicks = round(clicks_f)
        link_clicks = round(clicks_f * truth.link_share)
        landing = round(clicks_f * truth.link_share * LANDING_PAGE_VIEW_RATE)
        purchases = min(model.poisson_quantile(conversions_f, p.u_conv), link_clicks)
        rng = model.rng_for(self.state.seed, "purchases", ad.id, day.isoformat())
        draws = []
        for index in range(purchases):
            lag = lag_profile.draw(rng)
            value = max(990, round(p.aov * model.lognormal(rng, 0.35)))
            draws.append((lag, index, value))
        draws.sort()
        prefix = [0]
        for _, _, value in draws:
            prefix.append(prefix[-1] + value)
        checkout = purchases + round(conversions_f * 0.7)
        cart = checkout + round(conversions_f * 1.4)
        return AdDay(
            ad_id=ad.id,
            adset_id=ad.adset_id,
            campaign_id=ad.campaign_id,
            day=day,
            day_end=end,
            complete=complete,
            spend=spend,
            impressions=impressions,
            clicks=clicks,
            link_clicks=link_clicks,
            landing_page_views=landing,
            video_views=round(impressions_f * truth.video_rate),
            post_reactions=round(impressions_f * REACTION_RATE),
            audience=p.audience,
            churn=churn,
            purchases=purchases,
            lags=tuple(d[0] for d in draws),
            value_prefix=tuple(prefix),
            view_content=max(cart, round(landing * 0.55)),
            add_to_cart=cart,
            initiate_checkout=checkout,
            lag=lag_profile,
            learning=learnt,
        )

    def _curve(
        self, account: AccountRecord, day: date, start: datetime, end: datetime
    ) -> HourCurve:
        key = (account.timezone, day)
        curve = self._curves.get(key)
        if curve is None:
            curve = HourCurve.build(start, end, account)
            self._curves[key] = curve
        return curve

    def _day_params(
        self,
        day: date,
        account: AccountRecord,
        adsets: list[AdSetRecord],
        ads_by_adset: dict[str, list[AdRecord]],
        cumulative: dict[str, float],
    ) -> dict[str, _DayParams]:
        seed = self.state.seed
        noise = account.noise
        params: dict[str, _DayParams] = {}
        bounds = day_bounds(day, account) if self.state.studies else None
        for adset in adsets:
            group = ads_by_adset[adset.id]
            if not group:
                continue
            # A split test's cell reaches only its share of the people (study_records.py).
            audience = float(adset.audience_size)
            if bounds is not None:
                audience *= audience_share(self.state.studies, adset.id, *bounds)
            adset_frequency = sum(cumulative.get(ad.id, 0.0) for ad in group) / audience
            fresh = model.effective_audience(audience, adset_frequency)
            saturation = 1.0 + 0.35 * (1.0 - fresh / audience)
            base_cpm = sum(ad.truth.cpm for ad in group) / len(group)
            adset_efficient = model.adset_efficient_spend(fresh, base_cpm)
            for ad in group:
                truth = ad.truth
                rng = model.rng_for(seed, "day", ad.id, day.isoformat())
                ctr_noise = model.lognormal(rng, 0.08 * noise)
                cvr_noise = model.lognormal(rng, 0.15 * noise)
                cpm_noise = model.lognormal(rng, 0.06 * noise)
                pace = min(1.0, truth.pace * model.lognormal(rng, 0.025))
                u_conv = rng.random()
                aov_noise = model.lognormal(rng, 0.05 * noise)
                learning_rng = model.rng_for(seed, "learning", ad.id, day.isoformat())
                learning_noise = model.lognormal(learning_rng, learning.CVR_NOISE * noise)
                fatigue = model.fatigue_multiplier(
                    cumulative.get(ad.id, 0.0) / audience, truth.fatigue
                )
                cpm = truth.cpm * cpm_noise * saturation
                params[ad.id] = _DayParams(
                    ctr=truth.ctr * ctr_noise * fatigue,
                    cvr=truth.cvr * cvr_noise,
                    cpm=cpm,
                    pace=pace,
                    u_conv=u_conv,
                    aov=truth.aov * aov_noise,
                    capacity=fresh * MAX_DAILY_FREQUENCY * cpm / 1000,
                    audience=fresh,
                    score=truth.value_score(fatigue),
                    adset_efficient=adset_efficient,
                    learning_noise=learning_noise,
                )
        return params

    def _rates(
        self,
        account: AccountRecord,
        campaign: CampaignRecord,
        adsets: list[AdSetRecord],
        ads_by_adset: dict[str, list[AdRecord]],
        at: datetime,
        params: dict[str, _DayParams],
    ) -> dict[str, float]:
        """Each active ad's budget share (minor units per day) during an interval from ``at``."""
        state = self.state
        blocked = state.disapproved(account.id, at)
        live = {
            adset.id: [
                ad
                for ad in ads_by_adset[adset.id]
                if ad.created_time <= at
                and ad.value_at("status", at) == ACTIVE
                and not state.in_review(ad, at)
                and ad.id not in blocked
            ]
            for adset in adsets
        }
        scores = {ad_id: p.score for ad_id, p in params.items()}
        return budget_shares(account, campaign, live, state.adsets, at, scores)

    def _decay(
        self, cumulative: dict[str, float], ads: list[AdRecord], adsets: list[AdSetRecord]
    ) -> dict[str, float]:
        churn = {s.id: s.churn for s in adsets}
        decayed = {}
        for ad in ads:
            value = cumulative.get(ad.id, 0.0)
            if value:
                decayed[ad.id] = value * (1.0 - churn.get(ad.adset_id, 0.02))
        return decayed
