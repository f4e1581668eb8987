"""Memory: a conversation's (bounded: last N turns verbatim plus a running summary) and a
person's (language, tone, default ad account: what follows them from chat to chat).

Every turn is stored; what an agent or the core gets as context is the summary
of older turns plus the most recent N. When turns beyond N pile up they are
folded into the summary at once, extractively (no LLM in the turn); each
:class:`Fold` is then offered to the LLM, when one is configured, which rewrites
the summary in the background (``jobs.memory``) unless a later fold got there first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, func, insert, literal_column, select, update
from sqlalchemy.orm import Session

from storage.clock import utcnow
from storage.models import Conversation, Message, PersonMemory, User
from storage.tenancy import check_scope

#: The messages' table, for the turn's plain Core inserts.
MESSAGES = cast(Table, Message.__table__)

#: Folds (previous summary, turns to fold) into a new summary.
Summarizer = Callable[[str, Sequence["Turn"]], str]

SUMMARY_MAX_CHARS = 1500


@dataclass(frozen=True)
class Turn:
    role: str
    text: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class MemoryContext:
    summary: str
    turns: tuple[Turn, ...]

    def as_prompt(self) -> str:
        lines = []
        if self.summary:
            lines.append(f"Summary of earlier conversation: {self.summary}")
        lines += [f"{t.role}: {t.text}" for t in self.turns]
        return "\n".join(lines)


def extractive_summary(previous: str, turns: Sequence[Turn]) -> str:
    """Keep the first sentence of each folded turn, newest last, within a size bound."""
    pieces = [previous] if previous else []
    for turn in turns:
        text = " ".join(turn.text.split())
        if not text:
            continue
        first = text.split(". ")[0][:160]
        pieces.append(f"{turn.role}: {first}")
    summary = " | ".join(pieces)
    if len(summary) > SUMMARY_MAX_CHARS:
        summary = "…" + summary[-(SUMMARY_MAX_CHARS - 1) :]
    return summary


@dataclass(frozen=True)
class Fold:
    """Turns just folded into the summary: ``after_id < id <= upto_id``, on top of ``previous``."""

    conversation_id: int
    previous: str
    after_id: int
    upto_id: int


def folded_turns(session: Session, fold: Fold) -> list[Turn]:
    rows = session.scalars(
        select(Message)
        .where(
            Message.conversation_id == fold.conversation_id,
            Message.id > fold.after_id,
            Message.id <= fold.upto_id,
        )
        .order_by(Message.id)
    )
    return [Turn(m.role, m.text, m.payload or {}) for m in rows]


def replace_summary(session: Session, fold: Fold, summary: str) -> bool:
    """Put a better summary of ``fold`` in place, unless a later fold already moved on."""
    changed = session.execute(
        update(Conversation)
        .where(Conversation.id == fold.conversation_id)
        .where(Conversation.summarized_upto == fold.upto_id)
        .values(summary=summary[:SUMMARY_MAX_CHARS])
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    return bool(changed)


class ConversationMemory:
    def __init__(
        self,
        session: Session,
        conversation: Conversation,
        *,
        keep_turns: int = 20,
        summarizer: Summarizer = extractive_summary,
    ) -> None:
        self.session = session
        self.conversation = conversation
        self.keep_turns = keep_turns
        self.summarizer = summarizer
        self.folds: list[Fold] = []  # what this instance folded, for the LLM to rewrite

    def add(
        self,
        role: str,
        text: str,
        *,
        user_id: int | None = None,
        payload: dict[str, Any] | None = None,
        fold: bool = True,
    ) -> Message:
        """Remember one message; ``fold=False`` leaves the overflow check to the next add
        (a turn's own answer checks once for both: one SELECT a turn fewer)."""
        self.session.flush()  # the conversation first, when it is new
        workspace_id = self.conversation.workspace_id
        check_scope(self.session, workspace_id, "Message")  # what the ORM's flush checks
        values = {
            "workspace_id": workspace_id,
            "conversation_id": self.conversation.id,
            "role": role,
            "user_id": user_id,
            "text": text,
            "payload": payload or {},
            "created_at": utcnow(),
        }
        # Core INSERT … RETURNING: two a turn, and the ORM's unit of work cost more than the
        # statement; the row is returned detached (nobody edits a message once said)
        stmt = insert(MESSAGES).values(**values)
        if not fold:
            message_id = self.session.execute(stmt.returning(MESSAGES.c.id)).scalar_one()
            return Message(id=message_id, **values)
        # The overflow check rides on the INSERT: the turns before this one still unsummarized,
        # counted in its RETURNING (a SELECT of every such id a turn before, few turns fold)
        earlier = MESSAGES.alias("earlier")
        before = (
            select(func.count())
            .where(
                earlier.c.conversation_id == self.conversation.id,
                earlier.c.id > self.conversation.summarized_upto,
                # the new row, named as the INSERT's target (SQLite's RETURNING would
                # render it unqualified, read as earlier's own id)
                earlier.c.id < literal_column(f"{MESSAGES.name}.id"),
            )
            .scalar_subquery()
        )
        message_id, pending_before = self.session.execute(
            stmt.returning(MESSAGES.c.id, before)
        ).one()
        if int(pending_before) + 1 > 2 * self.keep_turns:
            self._fold_if_needed()
        return Message(id=message_id, **values)

    def context(self) -> MemoryContext:
        rows = self._recent(self.keep_turns)
        return MemoryContext(
            summary=self.conversation.summary,
            turns=tuple(Turn(m.role, m.text, m.payload or {}) for m in rows),
        )

    def _recent(self, limit: int) -> list[Message]:
        stmt = (
            select(Message)
            .where(Message.conversation_id == self.conversation.id)
            .where(Message.id > self.conversation.summarized_upto)
            .order_by(Message.id.desc())
            .limit(limit)
        )
        return list(reversed(self.session.scalars(stmt).all()))

    def _fold_if_needed(self) -> None:
        """Fold the overflow into the summary once twice N unsummarized turns accumulate."""
        pending = self.session.scalars(  # ids only: every turn asks, few turns fold
            select(Message.id)
            .where(Message.conversation_id == self.conversation.id)
            .where(Message.id > self.conversation.summarized_upto)
            .order_by(Message.id)
        ).all()
        if len(pending) <= 2 * self.keep_turns:
            return
        to_fold = self.session.scalars(
            select(Message)
            .where(Message.id.in_(pending[: len(pending) - self.keep_turns]))
            .order_by(Message.id)
        ).all()
        turns = [Turn(m.role, m.text, m.payload or {}) for m in to_fold]
        previous, after_id = self.conversation.summary, self.conversation.summarized_upto
        self.conversation.summary = self.summarizer(previous, turns)
        self.conversation.summarized_upto = to_fold[-1].id
        self.session.flush()
        self.folds.append(Fold(self.conversation.id, previous, after_id, to_fold[-1].id))


# --- a person's memory -----------------------------------------------------------------------


@dataclass(frozen=True)
class Remembered:
    """What is remembered for one person in one chat: the chat's own tone and account first,
    then the person's (any chat); the person's language first (it is theirs everywhere), then
    the chat's; else nothing (the workspace's defaults apply)."""

    language: str | None
    tone: str | None
    account_pk: int | None

    def as_prompt(self) -> str:
        """For the crew: how this person likes to be answered (empty when nothing is known)."""
        return f"This person prefers answers in this tone: {self.tone}." if self.tone else ""


def person_memory(session: Session, workspace_id: int, user_id: int) -> PersonMemory:
    """The person's memory row in this workspace (made on first use)."""
    row = session.scalars(
        select(PersonMemory).where(
            PersonMemory.workspace_id == workspace_id, PersonMemory.user_id == user_id
        )
    ).first()
    if row is None:
        row = PersonMemory(workspace_id=workspace_id, user_id=user_id)
        session.add(row)
        session.flush()
    return row


def remember(
    session: Session,
    conversation: Conversation,
    user_id: int,
    *,
    tone: str | None = None,
    account_pk: int | None = None,
) -> None:
    """Remember a choice for this chat and for the person, so their next chat knows it too."""
    row = person_memory(session, conversation.workspace_id, user_id)
    state = dict(conversation.state or {})
    if tone is not None:
        row.tone = tone
        state["tone"] = tone
    if account_pk is not None:
        row.ad_account_id = account_pk
        state["account"] = account_pk
    conversation.state = state


def recall(session: Session, conversation: Conversation, user_id: int) -> Remembered:
    """The chat's choices, else the person's."""
    state = conversation.state or {}
    row = session.scalars(
        select(PersonMemory).where(
            PersonMemory.workspace_id == conversation.workspace_id,
            PersonMemory.user_id == user_id,
        )
    ).first()
    user = session.get(User, user_id)
    return Remembered(
        language=(user.language if user else None) or conversation.language,
        tone=state.get("tone") or (row.tone if row else None),
        account_pk=state.get("account") or (row.ad_account_id if row else None),
    )
