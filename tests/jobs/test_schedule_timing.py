"""The pure schedule: which jobs are due when, in each workspace's own timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jobs.schedules import (
    AccountPlan,
    JobSpec,
    Kind,
    WorkspacePlan,
    coalesce,
    due_jobs,
)

SP = WorkspacePlan(
    1,
    "loja",
    "America/Sao_Paulo",
    frozenset({18}),
    (AccountPlan(11, "act_1", "America/Sao_Paulo"),),
    budget_limit=True,
)
NY = WorkspacePlan(
    2,
    "goods",
    "America/New_York",
    frozenset({18}),
    (AccountPlan(22, "act_2", "America/New_York"),),
)
#: Friday 20 Nov 2026, 15:00 in São Paulo (UTC-3), 13:00 in New York (UTC-5).
START = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def of(kind: Kind, specs: list[JobSpec]) -> list[JobSpec]:
    return [s for s in specs if s.kind is kind]


def test_daily_reports_fire_at_18h_local_in_each_timezone() -> None:
    specs = due_jobs(START, START + timedelta(days=1), [SP, NY])
    reports = of(Kind.REPORT, specs)
    assert [(s.job_id, s.slot) for s in reports] == [
        ("daily-report:ws1:act_1:2026112018", datetime(2026, 11, 20, 21, 0, tzinfo=UTC)),
        ("daily-report:ws2:act_2:2026112018", datetime(2026, 11, 20, 23, 0, tzinfo=UTC)),
    ]
    assert all(s.hour == 18 for s in reports)


def test_nightly_optimization_at_23h_and_digest_at_8h_local() -> None:
    specs = due_jobs(START, START + timedelta(days=1), [SP, NY])
    assert [(s.job_id, s.slot.hour) for s in of(Kind.OPTIMIZE, specs)] == [
        ("nightly-optimization:ws1:act_1:20261120", 2),  # 23:00 BRT = 02:00 UTC
        ("nightly-optimization:ws2:act_2:20261120", 4),  # 23:00 EST = 04:00 UTC
    ]
    assert [(s.job_id, s.slot.hour) for s in of(Kind.DIGEST, specs)] == [
        ("morning-digest:ws1:act_1:20261121", 11),
        ("morning-digest:ws2:act_2:20261121", 13),
    ]


def test_budget_checks_hourly_only_where_a_limit_is_set() -> None:
    specs = due_jobs(START, START + timedelta(hours=3), [SP, NY])
    assert [s.job_id for s in of(Kind.BUDGET, specs)] == [
        "budget-check:ws1:2026112016",
        "budget-check:ws1:2026112017",
        "budget-check:ws1:2026112018",
    ]


def test_metrics_sync_every_30_minutes_per_account() -> None:
    specs = due_jobs(START, START + timedelta(hours=1), [SP, NY])
    assert [s.job_id for s in of(Kind.SYNC, specs)] == [
        "metrics-sync:ws1:act_1:202611201830",
        "metrics-sync:ws2:act_2:202611201830",
        "metrics-sync:ws1:act_1:202611201900",
        "metrics-sync:ws2:act_2:202611201900",
    ]


def test_window_is_open_at_the_start_and_closed_at_the_end() -> None:
    at_six = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)  # 18:00 in São Paulo
    assert of(Kind.REPORT, due_jobs(at_six, at_six + timedelta(hours=1), [SP])) == []
    assert len(of(Kind.REPORT, due_jobs(at_six - timedelta(hours=1), at_six, [SP]))) == 1


def test_subscription_hours_add_report_slots() -> None:
    plan = WorkspacePlan(1, "loja", "America/Sao_Paulo", frozenset({9, 18}), SP.accounts)
    reports = of(Kind.REPORT, due_jobs(START, START + timedelta(days=1), [plan]))
    assert [(s.hour, s.stamp) for s in reports] == [(18, "2026112018"), (9, "2026112109")]


def test_half_hour_timezones_get_their_local_hour() -> None:
    india = WorkspacePlan(
        3, "in", "Asia/Kolkata", frozenset({18}), (AccountPlan(3, "act_3", "Asia/Kolkata"),)
    )
    reports = of(Kind.REPORT, due_jobs(START, START + timedelta(days=1), [india]))
    assert [s.slot for s in reports] == [datetime(2026, 11, 21, 12, 30, tzinfo=UTC)]


def test_daylight_saving_repeated_hour_has_one_job_id() -> None:
    # New York falls back on 1 Nov 2026: 01:00 local happens twice.
    plan = WorkspacePlan(2, "goods", "America/New_York", frozenset({1}), NY.accounts)
    since = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
    reports = of(Kind.REPORT, due_jobs(since, since + timedelta(hours=4), [plan]))
    assert len(reports) == 2
    assert len({s.job_id for s in reports}) == 1  # the run record lets only one through


def test_catch_up_coalesces_each_job_to_its_latest_slot_syncs_first() -> None:
    specs = coalesce(due_jobs(START, START + timedelta(days=3), [SP]))
    assert specs[0].kind is Kind.SYNC
    ids = [s.job_id for s in specs]
    assert ids == [
        "metrics-sync:ws1:act_1:202611231800",
        "daily-report:ws1:act_1:2026112218",
        "nightly-optimization:ws1:act_1:20261122",
        "morning-digest:ws1:act_1:20261123",
        "experiments-daily:ws1:act_1:20261123",  # 09:00, after the digest
        "expire-approvals:all:2026112318",
        "budget-check:ws1:2026112315",
        "smart-alerts:ws1:act_1:2026112315",
    ]


def test_a_catch_up_digest_follows_the_latest_night() -> None:
    two_am = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)  # 02:00 in São Paulo
    specs = coalesce(due_jobs(two_am, two_am + timedelta(days=1), [SP]))
    kinds = [s.kind for s in specs if s.kind in (Kind.OPTIMIZE, Kind.DIGEST)]
    assert kinds == [Kind.OPTIMIZE, Kind.DIGEST]  # 23:00 night first, then the 08:00 digest


def test_job_spec_round_trips_through_the_queue_payload() -> None:
    spec = of(Kind.REPORT, due_jobs(START, START + timedelta(days=1), [SP]))[0]
    assert JobSpec.from_payload(spec.to_payload()) == spec
