"""A test's card: its state, variants, plan, today's result in plain words and its buttons.

Pure: a function of the stored row and a locale (the chart, when there is one, is drawn by
the monitor and handed in). Buttons carry ``experiment.<verb>`` actions with the test's
number; the same words typed work too ("iniciar teste 2").
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from analytics.experiments.wording import language_of
from bot.core.experiments import messages  # noqa: F401  (registers the messages)
from storage.models import Experiment
from vocabulary.i18n import Locale
from vocabulary.inbound import Action
from vocabulary.replies import Button, Chart, Reply

START, STOP, APPLY = "experiment.start", "experiment.stop", "experiment.apply"


def card_key(experiment: Experiment) -> str:
    return f"experiment:{experiment.workspace_id}:{experiment.number}"


def winner_name(experiment: Experiment) -> str:
    winner = (experiment.verdict or {}).get("winner")
    for v in experiment.variants or []:
        if v.get("label") == winner:
            return f"{winner} (“{v.get('name', '')}”)"
    return str(winner or "?")


def method_line(experiment: Experiment, locale: Locale) -> str:
    """How the variants are kept apart, and the Meta split test's id once it exists."""
    design = experiment.design or {}
    method = design.get("method") or "ad_sets"
    line = locale.t(f"experiments.method.{method}")
    if design.get("study_id"):
        line += " " + locale.t("experiments.method.study_id", study=design["study_id"])
    return line


def state_words(experiment: Experiment, locale: Locale) -> str:
    verdict = experiment.verdict or {}
    return locale.t(
        f"experiments.state.{experiment.status}",
        day=verdict.get("day", 0),
        days=(experiment.design or {}).get("days", 0),
        winner=winner_name(experiment),
    )


def render(
    experiment: Experiment, locale: Locale, currency: str, chart: Chart | None = None
) -> Reply:
    """The card for the test as it stands."""
    title = locale.t("experiments.card.title", number=experiment.number, name=experiment.name)
    lines = [f"*{title}*"]
    verdict = experiment.verdict or {}
    language = language_of(locale.language)
    status = experiment.status
    if status in ("running", "winner", "inconclusive", "stopped_guardrail") and verdict.get(
        "lines"
    ):
        lines += list(verdict["lines"].get(language) or [])
    elif status == "running":
        since = experiment.started_on
        first = locale.date(since + timedelta(days=1)) if since else "—"
        lines.append(
            locale.t(
                "experiments.status.waiting_data",
                since=locale.date(since) if since else "—",
                first=first,
            )
        )
    elif status == "applied":
        lines.append(locale.t("experiments.status.applied", winner=winner_name(experiment)))
        lines += list((verdict.get("lines") or {}).get(language) or [])[1:]
    else:
        lines.append(locale.t(f"experiments.status.{status}", number=experiment.number))
    for variant in experiment.variants or []:
        lines.append(
            "• "
            + locale.t("experiments.card.variant", label=variant["label"], name=variant["name"])
        )
    lines.append(method_line(experiment, locale))
    lines.append(
        locale.t(
            "experiments.card.plan",
            metric=locale.t(f"experiments.metric.{experiment.metric}"),
            budget=locale.money(Decimal(experiment.daily_budget), currency),
            days=(experiment.design or {}).get("days", 0),
        )
    )
    return Reply(
        "\n".join(lines),
        kind="report" if chart is not None else "message",
        title=title,
        chart=chart,
        buttons=_buttons(experiment, locale),
        key=card_key(experiment),
        data={"experiment": experiment.number, "status": status},
    )


def _buttons(experiment: Experiment, locale: Locale) -> tuple[Button, ...]:
    number = str(experiment.number)
    if experiment.status == "created":
        return (
            Button(locale.t("experiments.button.start"), Action(START, number), style="primary"),
        )
    if experiment.status == "running":
        return (Button(locale.t("experiments.button.stop"), Action(STOP, number)),)
    if experiment.status == "winner":
        return (
            Button(locale.t("experiments.button.apply"), Action(APPLY, number), style="primary"),
            Button(locale.t("experiments.button.end"), Action(STOP, number)),
        )
    if experiment.status in ("inconclusive", "stopped_guardrail"):
        return (Button(locale.t("experiments.button.end"), Action(STOP, number)),)
    return ()
