"""Who may ask how much: rate limits on messages and crew runs, and the daily LLM budget.

Three doors, each a token bucket (:mod:`vocabulary.limits`, in Redis):

- at the webhook (:func:`door`), per person: a flood never reaches the queue;
- in the turn, per workspace (:func:`workspace_turn`): one noisy tenant cannot
  take every worker;
- before a crew run is queued (:func:`crew_gate`), per person and per workspace,
  after the daily LLM budget (:mod:`crews.llm_cap`): a refused request queues nothing.

A refused person is told once per wait, politely, how long to wait; the
messages after that are dropped quietly (the notice is a ``SET NX``).
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

from crews import llm_cap
from storage.clock import utcnow
from vocabulary.i18n import register, translate
from vocabulary.inbound import Inbound
from vocabulary.limits import Bucket, Rate, Verdict
from vocabulary.replies import Reply

if TYPE_CHECKING:
    from bot.core.context import TurnContext
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

MESSAGES: dict[str, dict[str, str]] = {
    "limits.turns": {
        "pt-BR": (
            "Recebi muitas mensagens suas em pouco tempo. Vou ignorar as próximas por "
            "{wait}; depois disso, é só continuar de onde parou."
        ),
        "en": (
            "I got a lot of messages from you in a short time. I'll skip the next ones for "
            "{wait}; after that, just carry on where you left off."
        ),
    },
    "limits.workspace_turns": {
        "pt-BR": (
            "Este workspace está enviando mensagens mais rápido do que consigo atender. "
            "Tente de novo em {wait}."
        ),
        "en": "This workspace is sending messages faster than I can handle. Try again in {wait}.",
    },
    "limits.crew": {
        "pt-BR": (
            "Você já pediu várias análises ao time de IA em pouco tempo. Para não sobrecarregar, "
            "o próximo pedido pode ser feito em {wait}; os que chegarem antes disso não serão "
            "iniciados. Comandos como *relatório* e *campanhas* continuam funcionando."
        ),
        "en": (
            "You've asked the AI crew for several jobs in a short time. To keep things fair, "
            "the next request can start in {wait}; requests before then won't be started. "
            "Commands such as *report* and *campaigns* keep working."
        ),
    },
    "limits.crew_workspace": {
        "pt-BR": (
            "O time de IA deste workspace atingiu o limite de pedidos por hora. O próximo pode "
            "começar em {wait}; até lá, os pedidos não serão iniciados."
        ),
        "en": (
            "This workspace's AI crew has reached its hourly request limit. The next one can "
            "start in {wait}; until then, requests won't be started."
        ),
    },
    "limits.seconds": {"pt-BR": "{n} s", "en": "{n} s"},
    "limits.minutes": {"pt-BR": "{n} min", "en": "{n} min"},
}
register(MESSAGES)


def wait_words(seconds: float, language: str) -> str:
    """A wait as people read it: "40 s", "7 min" (rounded up, never "0")."""
    if seconds < 60:
        return translate("limits.seconds", language, n=max(1, math.ceil(seconds)))
    return translate("limits.minutes", language, n=math.ceil(seconds / 60))


def person_key(inbound: Inbound) -> str:
    """The sender as the platform names them (a Slack user is per team)."""
    team = inbound.team_id or ""
    return f"{inbound.channel.value}:{team}:{inbound.user_id}"


def door(rt: Runtime, inbound: Inbound) -> Verdict:
    """The per-person message bucket, taken at the webhook before anything is stored."""
    rate = Rate.parse(rt.settings.rate_turns_person)
    verdict = rt.limits.take([Bucket(f"turn:person:{person_key(inbound)}", rate)])
    if not verdict.allowed:
        logger.info("inbound %s: person over the message limit", inbound.event_id)
    return verdict


def notice_due(rt: Runtime, kind: str, who: str, verdict: Verdict) -> bool:
    """Whether this refusal is the first of its wait for ``who`` (tell them once)."""
    try:
        return rt.limits.first_notice(f"{kind}:{who}", verdict.wait_seconds)
    except Exception:  # Redis gone since the bucket answered: better twice than never
        logger.warning("rate limit notice unavailable", exc_info=True)
        return True


def door_notice(rt: Runtime, inbound: Inbound, verdict: Verdict, language: str) -> str | None:
    """The words for a refused message, or None when the person was already told."""
    if not notice_due(rt, "turns", person_key(inbound), verdict):
        return None
    return translate("limits.turns", language, wait=wait_words(verdict.wait_seconds, language))


def workspace_turn(rt: Runtime, workspace_id: int) -> Verdict:
    """The per-workspace message bucket, taken once the turn knows its workspace."""
    rate = Rate.parse(rt.settings.rate_turns_workspace)
    return _take(rt, [Bucket(f"turn:workspace:{workspace_id}", rate)])


def _take(rt: Runtime, buckets: list[Bucket]) -> Verdict:
    """Redis down lets the request through: the queue (on the same Redis) then says so."""
    try:
        return rt.limits.take(buckets)
    except Exception:
        logger.warning("rate limits unavailable; letting the request through", exc_info=True)
        return Verdict()


def crew_gate(ctx: TurnContext) -> bool:
    """May this person start a crew run now? If not, say why (once per wait) and queue nothing."""
    cap, used = llm_cap.check(ctx.session, ctx.prefs, ctx.rt.settings, utcnow())
    if llm_cap.exceeded(cap, used):
        logger.info("workspace %s: daily LLM cap reached, crew run refused", ctx.workspace.id)
        ctx.say(Reply(llm_cap.reached_message(cap, used, ctx.locale), kind="notice"))
        return False
    settings = ctx.rt.settings
    person = f"crew:person:{ctx.workspace.id}:{ctx.user.id}"
    buckets = [
        Bucket(person, Rate.parse(settings.rate_crew_person)),
        Bucket(f"crew:workspace:{ctx.workspace.id}", Rate.parse(settings.rate_crew_workspace)),
    ]
    verdict = _take(ctx.rt, buckets)
    if verdict.allowed:
        return True
    whose = "crew" if verdict.full == person else "crew_workspace"
    logger.info(
        "crew run refused: %s limit, workspace=%s user=%s wait=%.0fs",
        whose,
        ctx.workspace.id,
        ctx.user.id,
        verdict.wait_seconds,
    )
    if notice_due(ctx.rt, whose, f"{ctx.workspace.id}:{ctx.user.id}", verdict):
        wait = wait_words(verdict.wait_seconds, ctx.lang)
        ctx.say(Reply(ctx.t(f"limits.{whose}", wait=wait), kind="notice"))
    return False
