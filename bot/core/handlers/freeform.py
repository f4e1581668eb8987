"""Free text nobody's router matched: the crew when an LLM is configured, else useful guidance.

Without an LLM (or for a short message that looks like a mistyped command) a typo close to a
command is mended first: a read runs at once, saying how it was understood; a change is asked
back ("did you mean …?"). Anything else gets the 2–3 nearest commands as buttons, not the
whole help.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.core.context import TurnContext
from bot.core.conversation import _dispatch
from bot.core.handlers.crew import handle_freeform
from bot.core.handlers.reports import show_report
from bot.core.routes import ROUTER
from bot.core.suggest import closest, correct
from crews.intents import classify
from storage.models import Role
from vocabulary.i18n import register
from vocabulary.inbound import Action
from vocabulary.parsing import Args, normalize
from vocabulary.periods import DEFAULT_PERIOD, parse_period
from vocabulary.replies import Button, Reply

logger = logging.getLogger(__name__)

#: Short messages that look like a mistyped command get the command list, not the crew,
#: unless they name a crew job ("analise campanhas", "planeje black friday").
COMMAND_LIKE_WORDS = 3

MESSAGES: dict[str, dict[str, str]] = {
    "freeform.understood": {
        "pt-BR": "_(entendi: “{text}”)_",
        "en": "_(read as: “{text}”)_",
    },
    "freeform.did_you_mean_one": {
        "pt-BR": "Você quis dizer “{text}”?",
        "en": "Did you mean “{text}”?",
    },
    "freeform.did_you_mean": {
        "pt-BR": "Não entendi “{text}”. Você quis dizer:",
        "en": "I didn't understand “{text}”. Did you mean:",
    },
    "freeform.no_llm_short": {
        "pt-BR": (
            "Para conversar livremente (planejar, escrever, analisar) eu preciso de um LLM "
            "configurado (MEDIABRAIN_LLM_MODEL). Talvez um destes ajude:"
        ),
        "en": (
            "Free conversation (planning, writing, analysis) needs an LLM configured "
            "(MEDIABRAIN_LLM_MODEL). Maybe one of these helps:"
        ),
    },
    "freeform.more_in_help": {
        "pt-BR": "_*ajuda* mostra tudo o que eu sei fazer._",
        "en": "_*help* lists everything I can do._",
    },
    "freeform.yes": {"pt-BR": "Sim", "en": "Yes"},
}
register(MESSAGES)


def answer(ctx: TurnContext, args: Args) -> None:
    text: str = args["text"]
    flow = classify(text)
    command_like = len(normalize(text).split()) <= COMMAND_LIKE_WORDS and flow == "answer"
    if ctx.rt.settings.llm_configured and not command_like:
        handle_freeform(ctx, text)
        return
    if _mended(ctx, text):
        return
    if flow == "analyse":  # without an LLM the numbers still answer most of the question
        ctx.say(Reply(ctx.t("freeform.analysis_needs_llm")))
        show_report(ctx, {"period": parse_period(normalize(text)) or DEFAULT_PERIOD})
        return
    if command_like:
        intro = ctx.t("freeform.did_you_mean", text=text[:80])
    else:
        intro = ctx.t("freeform.no_llm_short")
    choices = closest(normalize(text), ctx.lang)
    lines = [intro, ctx.t("freeform.more_in_help")]  # the choices are the buttons
    buttons = tuple(Button(choice, Action("command", choice)) for choice in choices)
    ctx.say(Reply("\n".join(lines), buttons=buttons))


def _mended(ctx: TurnContext, text: str) -> bool:
    """A typo close to a command: a read runs as mended, a change is asked back."""
    typed = normalize(text)
    fixed = correct(typed)
    if fixed == typed:
        return False
    matched = ROUTER.match(fixed, ctx.lang)
    if matched is None:
        return False
    route, _ = matched
    logger.info("turn %s: typo mended to intent=%s", ctx.inbound.event_id, route.name)
    if route.min_role is Role.VIEWER and route.name not in ASK_FIRST:
        ctx.say(Reply(ctx.t("freeform.understood", text=fixed), kind="notice"))
        ctx.inbound = replace(ctx.inbound, text=fixed)
        _dispatch(ctx)
        return True
    ctx.say(
        Reply(
            ctx.t("freeform.did_you_mean_one", text=fixed),
            buttons=(Button(ctx.t("freeform.yes"), Action("command", fixed)),),
        )
    )
    return True


#: Viewer routes that change something (a preference, a subscription): asked first too.
ASK_FIRST = frozenset(
    {"language", "daily_report", "send_now", "alerts_switch", "alert_thresholds", "use_account"}
)
