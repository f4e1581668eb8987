"""What a concluded test taught: its measured lift and interval, keyed by format × angle ×
audience × segment, stored as a learning for people ("o que funciona?") and the crew."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from analytics.experiments.wording import language_of, percent
from crews.learnings import store_learning, tested_learnings
from storage.models import Experiment, Learning, Workspace
from storage.repositories import workspace_settings
from vocabulary.i18n import Locale
from vocabulary.replies import Reply
from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

SOURCE = "experiment:"


def _text(experiment: Experiment, data: dict[str, Any], locale: Locale, currency: str) -> str:
    lang = language_of(locale.language)
    lift = data["lift"]
    units = int(data.get("units") or 0)
    metric = experiment.metric
    amount = (
        locale.money(Decimal(units), currency)
        if metric in ("cpa", "roas")
        else locale.number(units)
    )
    key = "experiments.learning.won" if data["won"] else "experiments.learning.tie"
    return locale.t(
        key,
        number=experiment.number,
        kind=locale.t(f"experiments.kind.{experiment.kind}"),
        segment=data["segment"],
        audience=data["audience"],
        winner=data["winner_name"],
        control=data["control_name"],
        metric=locale.t(f"experiments.metric.{metric}"),
        lift=percent(lift["median"], lang),
        low=percent(lift["low"], lang),
        high=percent(lift["high"], lang),
        days=data["days"],
        units=locale.t(f"experiments.units.{metric}", n=amount),
    )


def record(
    rt: Runtime, workspace_id: int, experiment: Experiment, currency: str
) -> Learning | None:
    """Store (once) the lift of the winner, or of the best challenger when inconclusive."""
    verdict = experiment.verdict or {}
    lift = verdict.get("lift")
    if not lift:
        return None
    variants = {v["label"]: v for v in experiment.variants}
    best = variants.get(lift["variant"], {})
    control = variants.get(lift.get("versus", "A"), {})
    winner = verdict.get("winner")
    data = {
        "experiment": experiment.number,
        "kind": experiment.kind,
        "metric": experiment.metric,
        "format": "image",
        "angle": best.get("angle") or best.get("name", ""),
        "audience": best.get("audience", ""),
        "segment": experiment.segment,
        "won": winner is not None and winner == lift["variant"],
        "winner": lift["variant"],
        "winner_name": best.get("name", ""),
        "control_name": control.get("name", ""),
        "lift": lift,
        "days": verdict.get("day", 0),
        "units": min((verdict.get("units") or {}).values(), default=0),
    }
    source = f"{SOURCE}{experiment.id}"
    with rt.db.session(workspace_id) as session:
        existing = session.query(Learning).filter(Learning.source == source).first()
        if existing is not None:
            return existing
        prefs = workspace_settings(session, workspace_id)
        profile = dict(prefs.profile or {})
        # English for the crew's prompts; chat renders from ``data`` in the reader's language.
        text = _text(experiment, data, Locale("en"), currency)
        row = store_learning(
            session,
            workspace_id,
            kind="combination",
            text=text,
            industry=str(profile.get("industry", "")),
            objective=str(profile.get("objective", "")),
            data={**data, "currency": currency},
            impact=Decimal(str(round(lift["median"], 4))),
            source=source,
        )
        logger.info("experiment #%s: learning %s recorded", experiment.number, row.id)
        return row


def what_works(rt: Runtime, workspace_id: int, locale: Locale) -> Reply:
    """Concluded tests, biggest measured lift first, each with its evidence."""
    with rt.db.session(workspace_id) as session:
        rows = tested_learnings(session, workspace_id, limit=10)
        workspace = session.get(Workspace, workspace_id)
        lines = []
        for row in rows:
            data = dict(row.data or {})
            number = data.get("experiment")
            experiment = session.query(Experiment).filter(Experiment.number == number).first()
            if experiment is None:
                continue
            lines.append("• " + _text(experiment, data, locale, str(data.get("currency", "BRL"))))
    title = locale.t("experiments.works.title")
    if not lines:
        return Reply(locale.t("experiments.works.none"))
    name = workspace.name if workspace else ""
    return Reply("\n".join([f"*{title}*", *lines]), title=f"{title} · {name}".strip(" ·"))
