"""Approval cards in people's chats: shown where a proposal was asked for, sent to the
people who may decide it, and updated in place as its state changes.

Every card sent is remembered on the proposal (``result["cards"]``: conversation, message
ref, language), so a decision, the execution result or an expiry updates each copy in
the reader's language, and nobody gets the same card twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from storage.models import Conversation, Proposal, Role
from storage.repositories import workspace_settings
from supervisor.cards import card_data, render_card
from vocabulary.destinations import Destination
from vocabulary.i18n import Locale
from vocabulary.notify import destination_for, people_destinations, send
from vocabulary.outbox import Outbox
from vocabulary.replies import Reply
from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Clicked:
    """The card someone clicked: updated through the click's own outbox (it has the hints)."""

    outbox: Outbox
    conversation_id: int | None
    message_ref: str | None = None


def _destination(
    session: Session, conversation_id: int, language: str | None
) -> Destination | None:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return None
    prefs = workspace_settings(session, conversation.workspace_id)
    return destination_for(conversation, language or conversation.language or prefs.language)


def _locale(session: Session, workspace_id: int, language: str) -> Locale:
    prefs = workspace_settings(session, workspace_id)
    return Locale(language=language, timezone=prefs.timezone)


def _card(session: Session, row: Proposal, language: str) -> Reply:
    locale = _locale(session, row.workspace_id, language)
    return render_card(card_data(session, row, locale), locale)


def record_card(
    rt: Runtime,
    workspace_id: int,
    proposal_id: str,
    *,
    conversation_id: int | None,
    ref: str,
    language: str,
) -> None:
    """Remember a card shown for a proposal (one per conversation), so decisions and the
    execution result update it in place. Callers that show a card themselves
    (``ctx.say(card_for(...))`` returned ``ref``) record it here."""
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, proposal_id)
        if row is None:
            return
        cards = [
            c
            for c in (row.result or {}).get("cards", [])
            if c.get("conversation_id") != conversation_id or conversation_id is None
        ]
        cards.append({"conversation_id": conversation_id, "ref": ref, "language": language})
        row.result = {**(row.result or {}), "cards": cards}
        if conversation_id is not None and conversation_id == row.conversation_id:
            row.card_ref = ref


def show_card(
    rt: Runtime,
    workspace_id: int,
    pid: str,
    *,
    outbox: Outbox | None,
    conversation_id: int | None,
) -> None:
    """Show the proposal's card in a chat turn (``outbox``) or in one conversation."""
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, pid)
        assert row is not None
        if outbox is not None:
            language = outbox.to.language
            to: Destination | None = outbox.to
        else:
            assert conversation_id is not None
            to = _destination(session, conversation_id, None)
            language = to.language if to else "pt-BR"
        reply = _card(session, row, language)
    if to is None:
        return
    if outbox is not None:
        ref = outbox.send(reply)
        where = outbox.to.conversation_id or conversation_id
    else:
        ref = send(rt, to, reply)
        where = conversation_id
    if ref:
        record_card(rt, workspace_id, pid, conversation_id=where, ref=ref, language=language)


def notify_people(rt: Runtime, workspace_id: int, pid: str, minimum: Role) -> int:
    """Send the card to every member with ``minimum`` role, in their channel, once each."""
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, pid)
        if row is None:
            return 0
        holding = {c.get("conversation_id") for c in (row.result or {}).get("cards", [])}
        holding.add(row.conversation_id)
    sent = 0
    for to in people_destinations(rt, workspace_id, minimum):
        if to.conversation_id in holding:
            continue
        holding.add(to.conversation_id)
        with rt.db.session(workspace_id) as session:
            row = session.get(Proposal, pid)
            assert row is not None
            reply = _card(session, row, to.language)
        ref = send(rt, to, reply)
        if ref:
            sent += 1
            record_card(
                rt,
                workspace_id,
                pid,
                conversation_id=to.conversation_id,
                ref=ref,
                language=to.language,
            )
    logger.info("proposal %s: card sent to %d %s(s)", pid, sent, minimum.value)
    return sent


def refresh_cards(
    rt: Runtime, workspace_id: int, pid: str, *, clicked: Clicked | None = None
) -> None:
    """Show the proposal's current state on every card sent for it (and the clicked one)."""
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, pid)
        if row is None:
            return
        cards = list((row.result or {}).get("cards", []))
        targets: list[tuple[dict[str, Any], Destination | None, Reply]] = []
        for card in cards:
            to = None
            if card.get("conversation_id") is not None:
                # The chat's language now (someone typed "português" since), else the card's.
                conversation = session.get(Conversation, card["conversation_id"])
                now_language = conversation.language if conversation is not None else None
                to = _destination(
                    session, card["conversation_id"], now_language or card.get("language")
                )
            language = (to.language if to else None) or card.get("language") or "pt-BR"
            targets.append((card, to, _card(session, row, language)))
        clicked_reply = _card(session, row, clicked.outbox.to.language) if clicked else None
    handled = False
    for card, to, reply in targets:
        try:
            if clicked is not None and (
                card.get("conversation_id") == clicked.conversation_id
                or (clicked.message_ref and card.get("ref") == clicked.message_ref)
            ):
                handled = True
                clicked.outbox.sender.update(
                    clicked.outbox.to, clicked.message_ref or card["ref"], reply
                )
            elif to is not None:
                rt.sender(to.channel).update(to, card["ref"], reply)
        except Exception:
            logger.exception("proposal %s: could not update a card", pid)
    if clicked is not None and not handled and clicked_reply is not None:
        if clicked.message_ref:
            clicked.outbox.sender.update(clicked.outbox.to, clicked.message_ref, clicked_reply)
            shown: str | None = clicked.message_ref
        else:
            shown = clicked.outbox.send(clicked_reply)
        if shown:
            record_card(
                rt,
                workspace_id,
                pid,
                conversation_id=clicked.conversation_id,
                ref=shown,
                language=clicked.outbox.to.language,
            )
