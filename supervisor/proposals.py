"""What anyone may ask the ad platform to do: an ``ActionProposal``, never a direct write.

Chat commands, schedules, the optimizer and agent tools all describe the write
they want as a proposal (absolute new value, the value they saw, why, and who
asks) and hand it to :func:`supervisor.submit.submit`. Only the supervisor's
executor turns an approved proposal into a platform call.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal, TypeGuard, get_args

from ads.base import Level, Status


class ActionKind(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    SET_BUDGET = "set_budget"
    CREATE_DRAFT = "create_draft"
    ACTIVATE = "activate"
    DELETE = "delete"
    # --- issue 18: a paired budget move (two legs, together or not at all): supervisor/moves.py
    MOVE_BUDGET = "move_budget"

    @property
    def destructive(self) -> bool:
        """Stops delivery or removes something: the Approve button asks to confirm."""
        return self in (ActionKind.PAUSE, ActionKind.DELETE)

    @property
    def reversible(self) -> bool:
        return self is not ActionKind.DELETE


ProposerKind = Literal["user", "schedule", "agent"]


def _is_proposer_kind(value: str) -> TypeGuard[ProposerKind]:
    return value in get_args(ProposerKind)


@dataclass(frozen=True)
class Proposer:
    """Who asks: ``Proposer("user", "12")``, ``Proposer("schedule", "nightly")``,
    ``Proposer("agent", "optimizer")``."""

    kind: ProposerKind
    id: str

    @property
    def actor(self) -> str:
        """The audit log's actor string, e.g. ``agent:optimizer``."""
        return f"{self.kind}:{self.id}"

    @property
    def automated(self) -> bool:
        return self.kind != "user"

    @classmethod
    def stored(cls, kind: str, ident: str) -> Proposer:
        """A proposer read back from a ``proposals`` row; an unknown kind fails loudly."""
        if _is_proposer_kind(kind):
            return cls(kind, ident)
        raise ValueError(f"unknown proposer kind {kind!r}")


@dataclass(frozen=True)
class ActionProposal:
    """One write, described completely enough to judge, approve, execute and undo it.

    Values are absolute: ``set_budget`` carries ``{"daily_budget": "15000"}``
    (minor units as a string), pause/resume/activate/delete ``{"status": ...}``,
    ``create_draft`` ``{"campaign": {...}, "adsets": [...], "creatives": [...],
    "ads": [...]}`` (everything is created PAUSED).
    """

    kind: ActionKind
    target_level: Level
    target_id: str
    target_name: str
    new_value: dict[str, Any]
    current_value: dict[str, Any]
    reason: str
    proposer: Proposer
    extra: dict[str, Any] = field(default_factory=dict, compare=False)  # not part of the digest

    @property
    def digest(self) -> str:
        """sha256 over everything that defines the write: two equal requests, one digest."""
        payload = {
            "kind": ActionKind(self.kind).value,
            "target_level": Level(self.target_level).value,
            "target_id": self.target_id,
            "target_name": self.target_name,
            "new_value": self.new_value,
            "current_value": self.current_value,
            "reason": self.reason,
            "proposer": [self.proposer.kind, self.proposer.id],
        }
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def new_budget(self) -> Decimal | None:
        return money(self.new_value.get("daily_budget"))

    @property
    def current_budget(self) -> Decimal | None:
        return money(self.current_value.get("daily_budget"))


def money(value: Any) -> Decimal | None:
    """A minor-units amount from its JSON form (a string of digits) or None."""
    if value is None or value == "":
        return None
    return Decimal(str(value))


def minor_str(amount: Decimal | int) -> str:
    """Minor units as stored in proposals: an integer string, exact."""
    return str(Decimal(amount).quantize(Decimal(1)))


# --- constructors: what callers usually build ---------------------------------------------


def pause(
    level: Level, target_id: str, name: str, *, current_status: str, reason: str, proposer: Proposer
) -> ActionProposal:
    return ActionProposal(
        ActionKind.PAUSE,
        Level(level),
        target_id,
        name,
        {"status": Status.PAUSED.value},
        {"status": current_status},
        reason,
        proposer,
    )


def resume(
    level: Level,
    target_id: str,
    name: str,
    *,
    current_status: str,
    reason: str,
    proposer: Proposer,
    activate: bool = False,
) -> ActionProposal:
    """``activate=True`` for a draft's first activation (same write, stricter policy)."""
    return ActionProposal(
        ActionKind.ACTIVATE if activate else ActionKind.RESUME,
        Level(level),
        target_id,
        name,
        {"status": Status.ACTIVE.value},
        {"status": current_status},
        reason,
        proposer,
    )


def set_budget(
    level: Level,
    target_id: str,
    name: str,
    *,
    new_budget: Decimal,
    current_budget: Decimal | None,
    reason: str,
    proposer: Proposer,
) -> ActionProposal:
    """Daily budget, both amounts in minor units."""
    return ActionProposal(
        ActionKind.SET_BUDGET,
        Level(level),
        target_id,
        name,
        {"daily_budget": minor_str(new_budget)},
        {"daily_budget": minor_str(current_budget) if current_budget is not None else None},
        reason,
        proposer,
    )


def delete(
    level: Level, target_id: str, name: str, *, current_status: str, reason: str, proposer: Proposer
) -> ActionProposal:
    return ActionProposal(
        ActionKind.DELETE,
        Level(level),
        target_id,
        name,
        {"status": Status.DELETED.value},
        {"status": current_status},
        reason,
        proposer,
    )


def create_draft(
    account_id: str, spec: dict[str, Any], *, reason: str, proposer: Proposer
) -> ActionProposal:
    """A whole campaign draft (campaign, ad sets, creatives, ads), created PAUSED."""
    name = str((spec.get("campaign") or {}).get("name", ""))
    return ActionProposal(
        ActionKind.CREATE_DRAFT, Level.ACCOUNT, account_id, name, dict(spec), {}, reason, proposer
    )


def inverse(
    proposal: ActionProposal,
    *,
    created: dict[str, Any] | None = None,
    proposer: Proposer | None = None,
) -> ActionProposal:
    """The action that undoes an executed ``proposal`` (swap new and current values).

    ``created`` is the executed draft's result (ids of what was created): undoing a
    draft deletes its campaign. Deletions cannot be undone.
    """
    kind = ActionKind(proposal.kind)
    reason = f"undo: {proposal.reason}".strip()
    who = proposer or proposal.proposer
    if kind is ActionKind.DELETE:
        raise ValueError("a deletion cannot be undone")
    if kind is ActionKind.CREATE_DRAFT:
        campaign_id = (created or {}).get("campaign")
        if not campaign_id:
            raise ValueError("nothing was created, nothing to undo")
        return ActionProposal(
            ActionKind.DELETE,
            Level.CAMPAIGN,
            str(campaign_id),
            proposal.target_name,
            {"status": Status.DELETED.value},
            {"status": Status.PAUSED.value},
            reason,
            who,
        )
    if kind in (ActionKind.SET_BUDGET, ActionKind.MOVE_BUDGET):  # a move's inverse moves back
        inverse_kind: ActionKind = kind
    elif kind is ActionKind.PAUSE:
        inverse_kind = ActionKind.RESUME
    else:  # resume / activate
        inverse_kind = ActionKind.PAUSE
    # Starting a draft switched its children on too; undoing it pauses the campaign only
    # (and ends the split test the start created: supervisor/studies.py).
    extras = ("with_children", "study", "end_study")
    after = {k: v for k, v in proposal.new_value.items() if k not in extras}
    restored = dict(proposal.current_value)
    study = (created or {}).get("study")
    if study and proposal.new_value.get("study"):
        restored["end_study"] = str(study)
    return ActionProposal(
        inverse_kind,
        proposal.target_level,
        proposal.target_id,
        proposal.target_name,
        restored,
        after,
        reason,
        who,
    )
