"""The daily verdict of a running test: RUNNING, WINNER, INCONCLUSIVE or STOPPED_GUARDRAIL.

A pure function of each variant's cumulative daily counts, the design, today's date and
the CPA target. Rules, in order:

1. Guardrail (checked every day): a variant whose CPA is above ``guardrail_multiple`` x the
   target with posterior probability >= ``guardrail_probability`` stops the test, once it has
   spent ``guardrail_min_spend`` x that limit (the evidence a daily look needs: checking a
   95% posterior every day from the first would stop ~2% of good variants for nothing).
   99%, not 95%: looked at every day, 95% still stopped 4 of 100 A/A tests on the sandbox
   (variants exactly at the target; ``bench/bench_experiments.py``), 99% 6 of 600 (1%),
   and a variant at 6x the target is still stopped within days.
   Conversions per spend ~ Gamma(c + ½, spend) (Jeffreys).
2. Winner, only on whole weeks (day 7, 14, ...: weekday effects balanced) and once every
   variant has the design's minimum events: the leader's probability to be best >=
   ``prob_best`` with expected loss <= ``max_expected_loss`` (Bayes, :mod:`.bayes`) AND its
   always-valid p-value(s) against the control, Holm-adjusted over the ``k - 1``
   comparisons, below ``alpha`` (mSPRT, :mod:`.sequential`, every day's look counted). A
   control wins only if every challenger is significantly worse.
3. Inconclusive once the design's maximum duration has passed without a winner.
4. Otherwise running.

Day-to-day dispersion (:func:`.counts.dispersion`), estimated from the days seen so far,
widens both the posterior and the sequential variance. Failure modes: those of the models
used; a variant paused mid-test simply stops accumulating (its counts stay flat).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from scipy.stats import gamma

from analytics.experiments import bayes, sequential
from analytics.experiments.counts import Counts, Metric, dispersion, increments
from analytics.experiments.design import DAYS_PER_WEEK, Design


class Status(StrEnum):
    RUNNING = "running"
    WINNER = "winner"
    INCONCLUSIVE = "inconclusive"
    STOPPED_GUARDRAIL = "stopped_guardrail"


@dataclass(frozen=True)
class Rules:
    """Decision thresholds (defaults are the product's)."""

    prob_best: float = 0.95
    max_expected_loss: float = 0.01  # relative to the control's metric
    guardrail_multiple: Decimal = Decimal(2)
    guardrail_probability: float = 0.99
    #: Spend (in multiples of the CPA limit) a variant needs before its guardrail can fire.
    guardrail_min_spend: Decimal = Decimal(3)
    draws: int = bayes.DEFAULT_DRAWS
    seed: int = 0


@dataclass(frozen=True)
class Verdict:
    status: Status
    day: int  # complete days of data
    planned_days: int
    winner: str | None = None
    guardrail_variant: str | None = None
    bayes: bayes.BayesResult | None = None
    p_values: Mapping[str, float] = field(default_factory=dict)  # Holm-adjusted, challengers
    enough_sample: bool = False
    whole_weeks: bool = False
    cpa: Mapping[str, Decimal | None] = field(default_factory=dict)  # observed, minor units

    @property
    def decided(self) -> bool:
        return self.status is not Status.RUNNING


def prob_cpa_above(conversions: int, spend: int, limit: Decimal, phi: float = 1.0) -> float:
    """Posterior probability that the true CPA exceeds ``limit`` (minor units)."""
    if spend <= 0 or limit <= 0:
        return 0.0
    phi = max(phi, 1.0)
    # CPA > limit  <=>  λ < 1/limit, λ ~ Gamma(c/φ + ½, rate = spend/φ)
    return float(gamma.cdf(spend / phi / float(limit), conversions / phi + 0.5))


def _observed_cpa(total: Counts) -> Decimal | None:
    if total.conversions <= 0:
        return None
    return (Decimal(total.spend) / total.conversions).quantize(Decimal(1))


def decide(
    series: Mapping[str, Sequence[Counts]],
    design: Design,
    today: date,
    cpa_target: Decimal | int | None = None,
    *,
    control: str | None = None,
    rules: Rules = Rules(),
) -> Verdict:
    """Today's verdict from cumulative counts per variant (one row per day, oldest first).

    Rows dated today or later are partial and ignored. ``control`` defaults to the first
    variant of ``series``.
    """
    if len(series) < 2:
        raise ValueError("a test compares at least two variants")
    metric = design.metric
    names = list(series)
    control = control or names[0]
    names.remove(control)
    names.insert(0, control)
    rows = {n: [r for r in series[n] if r.day < today] for n in names}
    starts = [r[0].day for r in rows.values() if r]
    if not starts:
        return Verdict(Status.RUNNING, 0, design.days)
    elapsed = (today - min(starts)).days
    totals = {n: rows[n][-1] if rows[n] else Counts(min(starts)) for n in names}
    daily = {n: increments(rows[n]) for n in names}
    phi = dispersion(list(daily.values()), metric)
    phi_cpa = dispersion(list(daily.values()), Metric.CPA)
    running = Verdict(
        Status.RUNNING,
        day=elapsed,
        planned_days=design.days,
        cpa={n: _observed_cpa(t) for n, t in totals.items()},
        whole_weeks=elapsed >= DAYS_PER_WEEK and elapsed % DAYS_PER_WEEK == 0,
    )

    result = _bayes(metric, names, totals, phi, design, rules)
    running = replace(
        running,
        bayes=result,
        p_values=_p_values(metric, names, rows, design),
        enough_sample=all(totals[n].events(metric) >= design.min_events for n in names),
    )
    if cpa_target is not None:
        limit = Decimal(cpa_target) * rules.guardrail_multiple
        risks = {
            n: prob_cpa_above(t.conversions, t.spend, limit, phi_cpa)
            for n, t in totals.items()
            if t.spend >= limit * rules.guardrail_min_spend
        }
        worst = max(risks, key=lambda n: risks[n], default=None)
        if worst is not None and risks[worst] >= rules.guardrail_probability:
            return replace(running, status=Status.STOPPED_GUARDRAIL, guardrail_variant=worst)

    if result is not None and running.enough_sample and running.whole_weeks:
        winner = _winner(result, running.p_values, design, rules)
        if winner is not None:
            return replace(running, status=Status.WINNER, winner=winner)
    if elapsed >= design.max_days:
        return replace(running, status=Status.INCONCLUSIVE)
    return running


def _bayes(
    metric: Metric,
    names: list[str],
    totals: Mapping[str, Counts],
    phi: float,
    design: Design,
    rules: Rules,
) -> bayes.BayesResult | None:
    if any(totals[n].exposure(metric) <= 0 for n in names):
        return None
    return bayes.compare(
        metric,
        [(n, totals[n]) for n in names],
        seed=rules.seed,
        draws=rules.draws,
        dispersion=phi,
        order_value_cv=design.baseline.order_value_cv,
    )


def _p_values(
    metric: Metric, names: list[str], rows: Mapping[str, list[Counts]], design: Design
) -> dict[str, float]:
    """Holm-adjusted always-valid p-values of each challenger against the control."""
    control = names[0]
    by_day = {n: {r.day: r for r in rows[n]} for n in names}
    days = sorted(by_day[control])
    raw: list[float] = []
    for name in names[1:]:
        estimates: list[sequential.Estimate | None] = []
        for i, day in enumerate(days):
            a, b = by_day[control].get(day), by_day[name].get(day)
            if a is None or b is None:
                estimates.append(None)
                continue
            seen = [increments(rows[n][: i + 1]) for n in (control, name)]
            estimates.append(
                sequential.estimate(
                    metric,
                    a,
                    b,
                    dispersion=dispersion(seen, metric),
                    order_value_cv=design.baseline.order_value_cv,
                )
            )
        p = sequential.always_valid_p_values(estimates, design.mixing_sd)
        raw.append(p[-1] if p else 1.0)
    adjust = sequential.holm if design.correction == "holm" else sequential.bonferroni
    adjusted = adjust(raw)
    return dict(zip(names[1:], adjusted, strict=True))


def _winner(
    result: bayes.BayesResult, p_values: Mapping[str, float], design: Design, rules: Rules
) -> str | None:
    leader = result.leader
    if leader.prob_best < rules.prob_best or leader.expected_loss > rules.max_expected_loss:
        return None
    if leader.name == result.control.name:
        significant = all(p < design.alpha for p in p_values.values())
    else:
        significant = p_values.get(leader.name, 1.0) < design.alpha
    return leader.name if significant else None
