"""A conversion-rate drop on a low-volume account (the demo sells about one order an hour): the
chat gets the CPA/ROAS alert once the purchase evidence allows (about 29 h), and a quiet demo account
gets none over the same hours (issue 17). Timing is printed."""

from __future__ import annotations

from typing import Any

from tests.jobs.test_smart_alert_kinds import first_alert_within
from tests.jobs.test_smart_alerts import hourly, smart

DEMO = "act_1000000001"
#: Ten days of hourly reads: four are too few to tell a day's wobble from the purchases' own
#: noise (the baseline then assumes a wide one, and a real drop takes days to stand out).
HISTORY_HOURS = 10 * 24
#: Hours the alert may take (measured: 29 h). At ~1 purchase an hour a 70% drop is some 15
#: missing purchases a day, and the recent ones are not all reported yet (attribution lag):
#: at the per-run bar (1e-4, Bonferroni over 11 windows and 2 relations) the evidence takes
#: a bit more than a day, hence the windows beyond 24 h (up to 72 h) for small accounts.
WITHIN = 36


def test_a_conversion_drop_on_a_small_account_is_alerted(make_world: Any) -> None:
    world = make_world()
    hourly(world, HISTORY_HOURS)
    world.sandbox.inject_incident(DEMO, "conversion_drop", hours=WITHIN, magnitude=0.3)
    hours, [alert] = first_alert_within(world, WITHIN)
    print(f"conversion_drop 70%: alerted after {hours} h")
    assert "CPA em alta" in alert.title or "ROAS em queda" in alert.title
    assert "desde" in alert.text and "/dia em jogo" in alert.text


def test_a_quiet_small_account_gets_no_alert_over_the_same_hours(make_world: Any) -> None:
    world = make_world()
    hourly(world, HISTORY_HOURS + WITHIN)
    assert smart(world) == []
