"""Experiment rows: numbered per workspace ("teste 2"), found by number or state."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Experiment

#: Tests the daily job looks after (their objects exist or are about to).
LIVE = ("proposed", "created", "starting", "running")
DECIDED = ("winner", "inconclusive", "stopped_guardrail")


def next_number(session: Session, workspace_id: int) -> int:
    current = session.scalar(
        select(func.max(Experiment.number)).where(Experiment.workspace_id == workspace_id)
    )
    return int(current or 0) + 1


def by_number(session: Session, workspace_id: int, number: int) -> Experiment | None:
    return session.scalar(
        select(Experiment).where(
            Experiment.workspace_id == workspace_id, Experiment.number == number
        )
    )


def listed(session: Session, workspace_id: int, limit: int = 20) -> list[Experiment]:
    """Newest first."""
    return list(
        session.scalars(
            select(Experiment)
            .where(Experiment.workspace_id == workspace_id)
            .order_by(Experiment.number.desc())
            .limit(limit)
        )
    )


def live(session: Session, workspace_id: int, account_pk: int) -> list[Experiment]:
    return list(
        session.scalars(
            select(Experiment)
            .where(
                Experiment.workspace_id == workspace_id,
                Experiment.ad_account_id == account_pk,
                Experiment.status.in_(LIVE),
            )
            .order_by(Experiment.number)
        )
    )


def latest_decided(session: Session, workspace_id: int) -> Experiment | None:
    return session.scalar(
        select(Experiment)
        .where(Experiment.workspace_id == workspace_id, Experiment.status == "winner")
        .order_by(Experiment.decided_on.desc(), Experiment.number.desc())
        .limit(1)
    )
