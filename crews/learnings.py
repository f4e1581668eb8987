"""What the crew learned, stored per workspace and found again by industry and objective.

Learnings are written after analyses (the Analyst's durable lessons) and after
each approval or rejection of a proposal, with its reason
(:func:`record_decision_learning`, called by the supervisor). Retrieval scores
stored rows by word overlap of industry and objective (accents and synonyms
folded), so "moda feminina / vendas" finds "moda / OUTCOME_SALES".
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crews.prompts import as_data
from storage.models import Learning, Proposal, WorkspaceSettings
from vocabulary.i18n import Locale

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

KINDS = ("campaign", "combination", "best_practice", "decision")
#: How many recent rows are scored per retrieval; older ones rarely matter.
SCAN_LIMIT = 500
TEXT_MAX = 1000

_STOP = {"de", "da", "do", "das", "dos", "e", "a", "o", "the", "and", "of", "for", "para", "em"}
#: Objective words folded to one canonical word, so Portuguese, English and Meta's enums meet.
_SYNONYMS = {
    "outcome": "",
    "sales": "sales",
    "vendas": "sales",
    "venda": "sales",
    "conversoes": "sales",
    "conversions": "sales",
    "compras": "sales",
    "purchases": "sales",
    "leads": "leads",
    "lead": "leads",
    "cadastros": "leads",
    "traffic": "traffic",
    "trafego": "traffic",
    "cliques": "traffic",
    "awareness": "awareness",
    "reconhecimento": "awareness",
    "alcance": "awareness",
    "reach": "awareness",
    "engagement": "engagement",
    "engajamento": "engagement",
    "ecommerce": "ecommerce",
    "loja": "ecommerce",
    "varejo": "retail",
    "retail": "retail",
}


def words(text: str) -> frozenset[str]:
    """Normalized, accent-free words of ``text`` with synonyms folded."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("e-commerce", "ecommerce")
    out = set()
    for word in re.split(r"[^a-z0-9]+", text):
        if not word or word in _STOP:
            continue
        word = _SYNONYMS.get(word, word)
        if word:
            out.add(word)
    return frozenset(out)


def similarity(a: str, b: str) -> float:
    left, right = words(a), words(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def store_learning(
    session: Session,
    workspace_id: int,
    *,
    kind: str,
    text: str,
    industry: str = "",
    objective: str = "",
    data: dict[str, Any] | None = None,
    impact: Decimal | None = None,
    source: str = "",
) -> Learning:
    if kind not in KINDS:
        raise ValueError(f"unknown learning kind {kind!r}")
    row = Learning(
        workspace_id=workspace_id,
        kind=kind,
        industry=industry[:64],
        objective=objective[:64],
        text=text.strip()[:TEXT_MAX],
        data=data or {},
        impact=impact,
        source=source[:64],
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Scored:
    learning: Learning
    score: float


def relevant_learnings(
    session: Session, workspace_id: int, *, industry: str, objective: str, limit: int = 6
) -> list[Learning]:
    """The most similar learnings (by industry, then objective), newest first among equals.

    General rows (no industry and no objective) always qualify, with a low score.
    """
    rows = session.scalars(
        select(Learning)
        .where(Learning.workspace_id == workspace_id)
        .order_by(Learning.id.desc())
        .limit(SCAN_LIMIT)
    ).all()
    scored = [Scored(row, _score(row, industry, objective)) for row in rows]
    kept = [s for s in scored if s.score > 0]
    kept.sort(key=lambda s: (s.score, s.learning.id), reverse=True)
    return [s.learning for s in kept[:limit]]


def _score(row: Learning, industry: str, objective: str) -> float:
    if not row.industry and not row.objective:
        return 0.1
    # Industry first: a lesson from the same market beats one that only shares the objective.
    score = 3.0 * similarity(row.industry, industry) + 1.0 * similarity(row.objective, objective)
    if score and row.kind == "decision":
        score += 0.2  # a human said so: weigh it a little more
    return score


def tested_learnings(session: Session, workspace_id: int, *, limit: int = 3) -> list[Learning]:
    """What concluded A/B tests measured (``combination`` rows from experiments), biggest
    lift first: the crew's prompts get these with their numbers."""
    rows = session.scalars(
        select(Learning)
        .where(
            Learning.workspace_id == workspace_id,
            Learning.kind == "combination",
            Learning.source.like("experiment:%"),
        )
        .order_by(Learning.impact.desc(), Learning.id.desc())
        .limit(limit)
    ).all()
    return list(rows)


def learnings_block(learnings: Sequence[Learning]) -> str:
    """Learnings for a prompt: marked as data (they quote users' reasons and platform text)."""
    if not learnings:
        return "(nothing recorded yet)"
    lines = [f"- [{row.kind}] {row.text}" for row in learnings]
    return as_data("learnings", "\n".join(lines))


def store_many(
    rt: Runtime,
    workspace_id: int,
    texts: Iterable[str],
    *,
    kind: str,
    industry: str,
    objective: str,
    source: str,
    data: dict[str, Any] | None = None,
) -> int:
    count = 0
    with rt.db.session(workspace_id) as session:
        for text in texts:
            if text and text.strip():
                store_learning(
                    session,
                    workspace_id,
                    kind=kind,
                    text=text,
                    industry=industry,
                    objective=objective,
                    data=data,
                    source=source,
                )
                count += 1
    return count


def record_decision_learning(
    rt: Runtime, workspace_id: int, proposal_id: str, decision: str, reason: str | None
) -> Learning | None:
    """Remember that a human approved or rejected a proposal, and why (supervisor calls this).

    ``decision`` is e.g. "approved" or "rejected"; the row is tagged with the
    workspace's industry and objective so similar plans find it later.
    """
    with rt.db.session(workspace_id) as session:
        proposal = session.get(Proposal, proposal_id)
        if proposal is None:
            logger.warning(
                "learning: proposal %s not found in workspace %s", proposal_id, workspace_id
            )
            return None
        prefs = session.scalar(
            select(WorkspaceSettings).where(WorkspaceSettings.workspace_id == workspace_id)
        )
        profile = dict(prefs.profile or {}) if prefs else {}
        objective = str(
            profile.get("objective", "") or (proposal.new_value or {}).get("objective", "")
        )
        target = proposal.target_name or proposal.target_id
        change = _describe_change(proposal, prefs.currency if prefs else "BRL")
        why = (reason or "").strip() or "no reason given"
        text = f"{decision}: {proposal.kind} on '{target}'{change} (proposed by {proposal.proposer_kind} {proposal.proposer_id}). Reason: {why}"
        data = {
            "proposal_id": proposal_id,
            "kind": proposal.kind,
            "decision": decision,
            "reason": why,
            "proposer": f"{proposal.proposer_kind}:{proposal.proposer_id}",
        }
        source = f"proposal:{proposal_id}"[:64]
        row = session.scalar(
            select(Learning).where(Learning.kind == "decision", Learning.source == source)
        )
        if row is not None:  # the reason given after the click completes the same lesson
            row.text, row.data = text.strip()[:TEXT_MAX], data
        else:
            row = store_learning(
                session,
                workspace_id,
                kind="decision",
                text=text,
                industry=str(profile.get("industry", "")),
                objective=objective,
                data=data,
                source=source,
            )
        logger.info("learning: %s of proposal %s recorded", decision, proposal_id)
        return row


def _describe_change(proposal: Proposal, currency: str) -> str:
    value = proposal.new_value or {}
    if "daily_budget" in value:  # English: learnings are prompt text
        budget = Locale("en").money(Decimal(str(value["daily_budget"])), currency)
        return f" (daily budget {budget})"
    if "status" in value:
        return f" (status {value['status']})"
    return ""
