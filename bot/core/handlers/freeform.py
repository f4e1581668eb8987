"""Free text nobody's router matched: the crew when an LLM is configured, else useful guidance."""

from __future__ import annotations

from bot.core.context import TurnContext
from bot.core.handlers.crew import handle_freeform
from bot.core.handlers.help import help_reply
from bot.core.handlers.reports import show_report
from crews.intents import classify
from vocabulary.parsing import Args, normalize
from vocabulary.periods import DEFAULT_PERIOD, parse_period
from vocabulary.replies import Reply

#: Short messages that look like a mistyped command get the command list, not the crew,
#: unless they name a crew job ("analise campanhas", "planeje black friday").
COMMAND_LIKE_WORDS = 3


def answer(ctx: TurnContext, args: Args) -> None:
    text: str = args["text"]
    flow = classify(text)
    command_like = len(normalize(text).split()) <= COMMAND_LIKE_WORDS and flow == "answer"
    if ctx.rt.settings.llm_configured and not command_like:
        handle_freeform(ctx, text)
        return
    if flow == "analyse":  # without an LLM the numbers still answer most of the question
        ctx.say(Reply(ctx.t("freeform.analysis_needs_llm")))
        show_report(ctx, {"period": parse_period(normalize(text)) or DEFAULT_PERIOD})
        return
    if command_like:
        ctx.say(Reply(ctx.t("freeform.unknown_command", text=text[:80])))
    else:
        ctx.say(Reply(ctx.t("freeform.no_llm")))
    ctx.say(help_reply(ctx))
