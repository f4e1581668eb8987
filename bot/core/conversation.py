"""One turn of a conversation, channel-agnostic: identify, remember, route, answer.

This is the worker side of the data flow: ``jobs.inbound.process_inbound``
loads the persisted event and calls :func:`handle_turn`; replies leave through
the channel's :class:`~vocabulary.outbox.Sender`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import event

from bot.core import phone_verify, throttle
from bot.core.context import TurnContext
from bot.core.identity import reply_language, resolve_identity
from bot.core.routes import ROUTER
from storage.memory import ConversationMemory, Fold
from storage.models import Conversation, Role, User, Workspace
from storage.repositories import audit, get_or_create_conversation, workspace_settings
from storage.tenancy import scope_session
from vocabulary.destinations import Destination
from vocabulary.errors import explain
from vocabulary.i18n import Locale, translate
from vocabulary.inbound import Inbound
from vocabulary.outbox import Outbox
from vocabulary.parsing import normalize
from vocabulary.replies import Reply

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)


def handle_turn(rt: Runtime, inbound: Inbound, *, session: Session | None = None) -> list[Reply]:
    """Answer one inbound event; returns the replies sent (for the caller's records).

    One session, two transactions: what the user said is committed before any reply
    leaves, and what was answered after. A commit is the costly round trip of a turn
    (the WAL is flushed to disk), so a caller with writes of its own passes its open
    ``session``: the job's claim on the event joins the first transaction, and the
    turn's last writes are left uncommitted for the caller to add to and commit
    (``jobs/inbound.py`` marks the event done in them).
    """
    if session is None:
        with rt.db.session() as own:
            return _turn(rt, inbound, own)
    return _turn(rt, inbound, session)


def _turn(rt: Runtime, inbound: Inbound, session: Session) -> list[Reply]:
    identity = resolve_identity(session, inbound)
    if identity is None:
        session.commit()  # the caller's claim, before the first reply leaves
        return _onboard(rt, inbound)
    if not _workspace_may_talk(rt, session, inbound, identity.workspace_id):
        return []

    # First transaction: remember what the user said, whatever happens next.
    scope_session(session, identity.workspace_id)
    conversation = get_or_create_conversation(
        session,
        identity.workspace_id,
        inbound.channel.value,
        inbound.chat_id,
        inbound.thread_id,
        last_inbound_at=inbound.received_at,
    )
    if conversation.last_inbound_at != inbound.received_at:  # a new one has it already
        conversation.last_inbound_at = inbound.received_at
    memory = ConversationMemory(session, conversation, keep_turns=rt.settings.memory_turns)
    said = inbound.text or (f"[{inbound.action.name}]" if inbound.action else "")
    # the overflow is folded after the answer, checked once a turn
    memory.add("user", said, user_id=identity.user_id, payload=_action_payload(inbound), fold=False)
    conversation_id = conversation.id
    _refine_once_committed(rt, session, identity.workspace_id, memory.folds)
    session.commit()

    # Second transaction: the answer. The rows read above stay loaded (no second read).
    ctx = _context(rt, session, inbound, identity.user_id, identity.role, conversation_id)
    try:
        _dispatch(ctx)
    except Exception as exc:
        reply = explain(exc, ctx.locale)
        if reply is None:
            raise
        logger.info("turn %s: %s translated for the user", inbound.event_id, type(exc).__name__)
        session.rollback()
        ctx = _context(rt, session, inbound, identity.user_id, identity.role, conversation_id)
        ctx.say(reply)
    for reply in ctx.outbox.sent:
        if reply.kind != "progress":
            ctx.memory.add("assistant", reply.text, payload={"kind": reply.kind})
    _refine_once_committed(rt, session, identity.workspace_id, ctx.memory.folds)
    return ctx.outbox.sent


def _workspace_may_talk(rt: Runtime, session: Session, inbound: Inbound, workspace_id: int) -> bool:
    """The workspace's message bucket (issue 13); the refused person is told once per wait."""
    verdict = throttle.workspace_turn(rt, workspace_id)
    if verdict.allowed:
        return True
    logger.info("turn %s: workspace %s over its message limit", inbound.event_id, workspace_id)
    if throttle.notice_due(rt, "workspace_turns", throttle.person_key(inbound), verdict):
        language = reply_language(session, inbound, rt.settings.language)
        session.commit()  # the caller's claim, before the notice leaves
        wait = throttle.wait_words(verdict.wait_seconds, language)
        reply = Reply(translate("limits.workspace_turns", language, wait=wait), kind="notice")
        rt.sender(inbound.channel).send(Destination.reply_to(inbound, language), reply)
    return False


def _refine_once_committed(
    rt: Runtime, session: Session, workspace_id: int, folds: list[Fold]
) -> None:
    """Queue the folds' rewrite once they are committed (the caller may commit the last
    transaction; on SQLite an in-process job would otherwise wait on the turn's lock)."""
    if not folds or not rt.settings.llm_configured:
        return
    pending = list(folds)
    event.listen(
        session,
        "after_commit",
        lambda _session: _refine_summaries(rt, workspace_id, pending),
        once=True,
    )


def _refine_summaries(rt: Runtime, workspace_id: int, folds: list[Fold]) -> None:
    """Ask the LLM, in the background, for a better summary of what was just folded."""
    if not folds or not rt.settings.llm_configured:
        return
    for fold in folds:
        try:
            rt.queue.enqueue(
                "jobs.memory.summarize_fold",
                workspace_id,
                fold.conversation_id,
                fold.previous,
                fold.after_id,
                fold.upto_id,
                queue="low",
            )
        except Exception:  # the extractive summary stands; nothing is lost
            logger.warning(
                "conversation %s: summary job not queued", fold.conversation_id, exc_info=True
            )


def _context(
    rt: Runtime, session: Session, inbound: Inbound, user_id: int, role: Role, conversation_id: int
) -> TurnContext:
    # The rows were resolved or created earlier in this turn: get_one fails loudly if not.
    conversation = session.get_one(Conversation, conversation_id)
    user = session.get_one(User, user_id)
    workspace = session.get_one(Workspace, conversation.workspace_id)
    prefs = workspace_settings(session, workspace.id)
    language = inbound.language or user.language or conversation.language or prefs.language
    locale = Locale(language=language, timezone=prefs.timezone)
    to = Destination.reply_to(
        inbound,
        language,
        conversation_id=conversation.id,
        workspace_id=workspace.id,
        last_inbound_at=conversation.last_inbound_at,
    )
    return TurnContext(
        rt=rt,
        session=session,
        inbound=inbound,
        workspace=workspace,
        prefs=prefs,
        user=user,
        role=role,
        conversation=conversation,
        memory=ConversationMemory(session, conversation, keep_turns=rt.settings.memory_turns),
        locale=locale,
        outbox=Outbox(rt.sender(inbound.channel), to),
    )


def _dispatch(ctx: TurnContext) -> None:
    inbound = ctx.inbound
    if inbound.action is not None:
        route = ROUTER.action_route(inbound.action.name)
        if route is None:
            ctx.say(Reply(ctx.t("error.unknown_action"), kind="error"))
            return
        if not ctx.role.at_least(route.min_role):
            ctx.say(_forbidden(ctx, route.min_role, route.prefix))
            return
        route.handler(ctx, inbound.action)
        return
    if len(inbound.text) > ctx.rt.settings.max_message_chars:
        ctx.say(
            Reply(ctx.t("error.too_long", limit=ctx.rt.settings.max_message_chars), kind="error")
        )
        return
    text = normalize(inbound.text)
    matched = ROUTER.match(text, ctx.lang)
    if matched is None:
        needed = ROUTER.fallback_role(inbound.text)
        if not ctx.role.at_least(needed):
            ctx.say(_forbidden(ctx, needed, "freeform"))
            return
        ROUTER.fallback(ctx, {"text": inbound.text})
        return
    text_route, args = matched
    if not ctx.role.at_least(text_route.min_role):
        ctx.say(_forbidden(ctx, text_route.min_role, text_route.name))
        return
    logger.info(
        "turn %s: intent=%s workspace=%s user=%s",
        inbound.event_id,
        text_route.name,
        ctx.workspace.id,
        ctx.user.id,
    )
    text_route.handler(ctx, args)


def _forbidden(ctx: TurnContext, needed: Role, route: str) -> Reply:
    """The refusal, said plainly and audited (who knocked on which door, with which role)."""
    logger.info(
        "user %s: %s needs role %s, has %s", ctx.user.id, route, needed.value, ctx.role.value
    )
    audit(
        ctx.session,
        ctx.workspace.id,
        actor=f"user:{ctx.user.id}",
        action="route.refused",
        subject=route,
        channel=ctx.inbound.channel.value,
        detail={"needed": needed.value, "role": ctx.role.value},
    )
    return Reply(
        ctx.t(
            "error.forbidden",
            role=ctx.t(f"role.{needed.value}"),
            have=ctx.t(f"role.{ctx.role.value}"),
        ),
        kind="error",
    )


def _action_payload(inbound: Inbound) -> dict:  # type: ignore[type-arg]
    if inbound.action is None:
        return {}
    return {"action": inbound.action.name, "value": inbound.action.value}


def _onboard(rt: Runtime, inbound: Inbound) -> list[Reply]:
    with rt.db.session() as session:
        language = reply_language(session, inbound, rt.settings.language)
    locale = Locale(language=language, timezone=rt.settings.timezone)
    answered = phone_verify.answer_code(rt, inbound, language)  # a number confirming its link
    text = answered or locale.t("onboarding.unknown_user", user=inbound.user_id)
    reply = Reply(text, kind="notice")
    to = Destination.reply_to(inbound, locale.language)
    rt.sender(inbound.channel).send(to, reply)
    what = "link code answered" if answered else "onboarding sent"
    logger.info("%s user %s: unknown, %s", inbound.channel.value, inbound.user_id, what)
    return [reply]
