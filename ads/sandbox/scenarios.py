"""Simulated ad accounts for benchmarks: a compact spec in, a sandbox account with a past out.

Why: budget decisions can only be judged against a known truth. A scenario
states each ad's *true* parameters (CTR, conversion rate, order value, CPM,
efficient scale, fatigue), each ad set's audience, the account's attribution
lag and noise, and the campaigns' budgets (CBO or ABO); the sandbox then plays
the auction with the realism effects of :mod:`ads.sandbox.model` (learning
phase, ad-set and ad diminishing returns, auction shocks, attribution lag).

Named scenarios (:data:`SCENARIOS`), each with a right answer a good policy finds:

* ``headroom``: a winner held back by its budget next to a mediocre campaign;
  scaling the winner pays.
* ``saturated``: a campaign spending about 4x past its efficient scale in a
  small audience (fine on average, poor at the margin) next to one with room;
  moving budget pays.
* ``fatigue``: a creative whose CTR decays fast in a small audience that
  barely renews; its ROAS slides below break-even during the month.
* ``noisy``: three near-break-even campaigns in an account with 2.5x the usual
  day-to-day noise: lucky and unlucky weeks happen by chance; acting on one
  week's ROAS loses money.
* ``long_lag``: profitable campaigns in an account whose purchases arrive late
  (25 % by the end of the day, mean delay 3 days): the last days always look
  bad until they settle.
* ``limit_pressure``: budgets that would spend ~35 % over the monthly limit,
  with one clear loser: cutting the loser first lands the month on its limit.

How a benchmark runs 30 simulated days from identical starting states::

    from ads.sandbox import SandboxState, start_sandbox
    from ads.sandbox.scenarios import SCENARIOS, add_scenarios, outcome

    base = SandboxState(seed=42, start=datetime(2026, 3, 2, 12, tzinfo=UTC))  # empty world
    accounts = add_scenarios(base)  # {"headroom": "act_4000000001", ...}
    for policy in (no_action, static_rules, engine):
        state = base.copy()  # identical start; nothing one policy does reaches another
        server = start_sandbox(state=state)  # only if the policy talks Graph (MetaConnector)
        first_day = state.today(accounts["headroom"])
        for _ in range(30):
            state.advance_clock(days=1)  # e.g. to 23:00 local, when the nightly job runs
            policy(state, server)  # reads insights (Graph or state.totals), then writes:
            # Graph: Campaign(id).api_update(params={"daily_budget": 45000}) / {"status": "PAUSED"}
            # or directly: state.update(campaign_id, {"daily_budget": 45_000})
        server.stop()
        last_day = state.today(accounts["headroom"]) - timedelta(days=1)
        state.advance_clock(days=8)  # let the last days' purchases arrive, then judge
        result = outcome(state, accounts["headroom"], first_day, last_day, margin=Decimal("0.45"))

Budgets through ``state.update`` are minor units (centavos) like Graph's.
Spec amounts are major units (R$). ``SimAccount.monthly_limit`` and
``gross_margin`` are not sandbox settings: the bench configures the workspace
with them and counts days over the limit itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from ads.sandbox.attribution import LagProfile
from ads.sandbox.model import round_minor
from ads.sandbox.records import ACTIVE, AccountRecord
from ads.sandbox.specs import AdSetSpec, AdSpec, CampaignSpec, build_account
from ads.sandbox.state import SandboxState

#: First account id :func:`add_scenarios` uses (then +1 per scenario).
FIRST_SCENARIO_ACCOUNT = 4_000_000_001


@dataclass(frozen=True)
class SimAd:
    """An ad's true performance. Money in major units."""

    name: str
    ctr: float  # clicks per impression, fresh creative
    cvr: float  # purchases per link click
    aov: float  # average order value
    cpm: float  # base auction price per 1,000 impressions
    scale: float  # efficient daily spend; the ad's own returns diminish above it
    fatigue: float = 0.08  # CTR decay per unit of cumulative frequency
    link_share: float = 0.8  # link clicks per click
    pace: float = 0.97  # share of its budget the auction lets it spend
    status: str = ACTIVE


@dataclass(frozen=True)
class SimAdSet:
    """An ad set: its audience and, under ABO, its own daily budget (major units)."""

    name: str
    audience: int  # people the targeting can reach
    ads: tuple[SimAd, ...]
    daily_budget: float | None = None  # required for ABO, absent under CBO
    churn: float = 0.02  # daily renewal of the audience
    status: str = ACTIVE


@dataclass(frozen=True)
class SimCampaign:
    """A campaign: CBO when it has a ``daily_budget``, else ABO (budgets on its ad sets)."""

    name: str
    adsets: tuple[SimAdSet, ...]
    daily_budget: float | None = None
    age_days: int = 35  # history before the sandbox's now (at least 1)
    status: str = ACTIVE
    objective: str = "OUTCOME_SALES"


@dataclass(frozen=True)
class SimAccount:
    """A simulated account and what the benchmark needs to judge decisions on it."""

    name: str
    campaigns: tuple[SimCampaign, ...]
    currency: str = "BRL"
    timezone: str = "America/Sao_Paulo"
    lag: LagProfile | None = None  # None: the account's own profile from the seed
    noise: float = 1.0  # multiplies every day-to-day noise term
    gross_margin: Decimal = Decimal("0.45")  # contribution profit = revenue x margin - spend
    monthly_limit: Decimal | None = None  # the workspace's monthly budget limit, major units
    story: str = ""  # what a good policy should do here


@dataclass(frozen=True)
class Outcome:
    """Settled results of an account over some days (minor units)."""

    spend: int
    revenue: int
    purchases: int
    profit: int  # revenue x gross margin - spend

    @property
    def roas(self) -> Decimal | None:
        return None if not self.spend else Decimal(self.revenue) / Decimal(self.spend)


def add_simulated_account(
    state: SandboxState,
    spec: SimAccount,
    account_id: str,
    *,
    created: datetime | None = None,
    platform: str = "meta",
) -> AccountRecord:
    """Add ``spec`` as a new account whose campaigns started ``age_days`` before now
    (``platform="google"``: a Google Ads customer of the shared world, ten-digit id)."""
    _validate(spec)
    now = state.now()
    with state.lock:
        account = state.add_account(
            account_id,
            name=spec.name,
            currency=spec.currency,
            timezone=spec.timezone,
            created=created or now - timedelta(days=400),
            lag=spec.lag,
            noise=spec.noise,
            platform=platform,
        )
        build_account(state, account, tuple(_campaign_spec(c) for c in spec.campaigns), now)
        state.touch()
    return account


def add_scenarios(
    state: SandboxState,
    names: tuple[str, ...] | None = None,
    *,
    first_id: int = FIRST_SCENARIO_ACCOUNT,
) -> dict[str, str]:
    """Add named scenarios (default: all) as accounts ``act_<first_id>``...; name -> account id."""
    chosen = names or tuple(SCENARIOS)
    ids = {}
    for index, name in enumerate(chosen):
        account = add_simulated_account(state, SCENARIOS[name], f"act_{first_id + index}")
        ids[name] = account.id
    return ids


def outcome(
    state: SandboxState, account_id: str, since: date, until: date, *, margin: Decimal
) -> Outcome:
    """Settled spend, revenue and contribution profit of an account over local days."""
    totals = state.totals(account_id, since, until, settled=True)
    profit = round_minor(float(Decimal(totals.revenue) * margin - totals.spend))
    return Outcome(totals.spend, totals.revenue, totals.purchases, profit)


def _validate(spec: SimAccount) -> None:
    for campaign in spec.campaigns:
        if campaign.age_days < 1:
            raise ValueError(f"{campaign.name}: age_days must be at least 1 (it needs a past)")
        for adset in campaign.adsets:
            if campaign.daily_budget is not None and adset.daily_budget is not None:
                raise ValueError(f"{adset.name}: a CBO campaign's ad sets have no budget")
            if campaign.daily_budget is None and adset.daily_budget is None:
                raise ValueError(f"{adset.name}: an ABO ad set needs a daily budget")
            if not adset.ads:
                raise ValueError(f"{adset.name}: an ad set needs at least one ad")


def _campaign_spec(campaign: SimCampaign) -> CampaignSpec:
    return CampaignSpec(
        campaign.name,
        campaign.objective,
        age_days=campaign.age_days,
        daily_budget=campaign.daily_budget,
        status=campaign.status,
        adsets=tuple(
            AdSetSpec(
                adset.name,
                audience=adset.audience,
                daily_budget=adset.daily_budget,
                churn=adset.churn,
                status=adset.status,
                targeting={"geo_locations": {"countries": ["BR"]}, "age_min": 18},
                ads=tuple(
                    AdSpec(
                        ad.name,
                        ad.name,
                        ad.name,
                        ctr=ad.ctr,
                        cvr=ad.cvr,
                        aov=ad.aov,
                        cpm=ad.cpm,
                        scale=ad.scale,
                        fatigue=ad.fatigue,
                        link_share=ad.link_share,
                        pace=ad.pace,
                        status=ad.status,
                    )
                    for ad in adset.ads
                ),
            )
            for adset in campaign.adsets
        ),
    )


# --- named scenarios ---------------------------------------------------------------------------
# Tuned so each story shows in the first 30 days after the start (see tests/ads/test_scenarios.py).

SCENARIOS: dict[str, SimAccount] = {
    "headroom": SimAccount(
        "Cenário - Espaço para escalar",
        story="Scale the budget-limited winner (ROAS ~5, efficient scale 4x its budget).",
        monthly_limit=Decimal(12_000),
        campaigns=(
            SimCampaign(
                "Vencedora limitada",
                adsets=(
                    SimAdSet(
                        "Compradores LAL",
                        audience=6_000_000,
                        daily_budget=100,
                        ads=(SimAd("Vídeo depoimento", 0.016, 0.030, 220, 24, 400),),
                    ),
                ),
            ),
            SimCampaign(
                "Mediana",
                daily_budget=150,
                adsets=(
                    SimAdSet(
                        "Amplo",
                        audience=12_000_000,
                        ads=(
                            SimAd("Imagem catálogo", 0.011, 0.026, 190, 26, 160),
                            SimAd("Carrossel", 0.010, 0.024, 190, 26, 120),
                        ),
                    ),
                ),
            ),
        ),
    ),
    "saturated": SimAccount(
        "Cenário - Saturada",
        story="Move budget from the saturated campaign (marginal ROAS << average) to the other.",
        monthly_limit=Decimal(18_000),
        campaigns=(
            SimCampaign(
                "Saturada",
                adsets=(
                    SimAdSet(
                        "Interesse nichado",
                        audience=250_000,
                        daily_budget=480,
                        churn=0.03,
                        ads=(SimAd("Coleção nicho", 0.015, 0.052, 230, 22, 120, fatigue=0.05),),
                    ),
                ),
            ),
            SimCampaign(
                "Com espaço",
                daily_budget=120,
                adsets=(
                    SimAdSet(
                        "LAL amplo",
                        audience=9_000_000,
                        ads=(SimAd("UGC", 0.014, 0.032, 210, 24, 450),),
                    ),
                ),
            ),
        ),
    ),
    "fatigue": SimAccount(
        "Cenário - Fadiga",
        story="Cut the fatiguing campaign as its ROAS slides below break-even; keep the stable one.",
        monthly_limit=Decimal(9_000),
        campaigns=(
            SimCampaign(
                "Criativo cansando",
                age_days=12,
                adsets=(
                    SimAdSet(
                        "Público pequeno",
                        audience=90_000,
                        daily_budget=150,
                        churn=0.003,
                        ads=(SimAd("Carrossel verão", 0.026, 0.020, 200, 20, 200, fatigue=0.7),),
                    ),
                ),
            ),
            SimCampaign(
                "Estável",
                adsets=(
                    SimAdSet(
                        "Amplo",
                        audience=15_000_000,
                        daily_budget=120,
                        ads=(SimAd("Vídeo marca", 0.013, 0.030, 210, 24, 300, fatigue=0.04),),
                    ),
                ),
            ),
        ),
    ),
    "noisy": SimAccount(
        "Cenário - Semana de sorte",
        story="Near break-even campaigns in a noisy account: do not act on one lucky week.",
        noise=2.5,
        monthly_limit=Decimal(11_000),
        campaigns=tuple(
            SimCampaign(
                f"Campanha {letter}",
                adsets=(
                    SimAdSet(
                        "Amplo",
                        audience=10_000_000,
                        daily_budget=120,
                        ads=(SimAd(f"Anúncio {letter}", 0.012, cvr, 200, 25, 200),),
                    ),
                ),
            )
            for letter, cvr in (("A", 0.0215), ("B", 0.0195), ("C", 0.0235))
        ),
    ),
    "long_lag": SimAccount(
        "Cenário - Atribuição lenta",
        story="Profitable campaigns whose last days look bad until purchases arrive: wait.",
        lag=LagProfile(immediate_share=0.25, mean_hours=72.0),
        monthly_limit=Decimal(10_000),
        campaigns=(
            SimCampaign(
                "Consideração longa",
                daily_budget=200,
                adsets=(
                    SimAdSet(
                        "Amplo",
                        audience=10_000_000,
                        ads=(
                            SimAd("Móveis - vídeo", 0.012, 0.022, 480, 25, 260),
                            SimAd("Móveis - imagem", 0.011, 0.020, 460, 25, 200),
                        ),
                    ),
                ),
            ),
            SimCampaign(
                "Remarketing",
                adsets=(
                    SimAdSet(
                        "Visitantes 30d",
                        audience=80_000,
                        daily_budget=80,
                        churn=0.2,
                        ads=(SimAd("Catálogo visto", 0.020, 0.045, 450, 35, 120),),
                    ),
                ),
            ),
        ),
    ),
    "limit_pressure": SimAccount(
        "Cenário - Limite apertado",
        story="Budgets ~35% over the monthly limit: cut the loser first and land on the limit.",
        monthly_limit=Decimal(10_000),
        campaigns=(
            SimCampaign(
                "Boa",
                adsets=(
                    SimAdSet(
                        "LAL",
                        audience=8_000_000,
                        daily_budget=200,
                        ads=(SimAd("UGC", 0.015, 0.036, 220, 24, 350),),
                    ),
                ),
            ),
            SimCampaign(
                "Ok",
                daily_budget=150,
                adsets=(
                    SimAdSet(
                        "Amplo",
                        audience=12_000_000,
                        ads=(SimAd("Catálogo", 0.012, 0.024, 200, 25, 220),),
                    ),
                ),
            ),
            SimCampaign(
                "Perdedora",
                adsets=(
                    SimAdSet(
                        "Interesses",
                        audience=3_000_000,
                        daily_budget=120,
                        ads=(SimAd("Imagem genérica", 0.008, 0.012, 180, 30, 150),),
                    ),
                ),
            ),
        ),
    ),
}
