"""Free text nobody's router matched: the crew when an LLM is configured, else useful guidance."""

from __future__ import annotations

from bot.core.context import TurnContext
from bot.core.handlers.help import help_reply
from bot.core.intents import Args, normalize
from bot.core.types import Reply

#: Short messages that look like a mistyped command get the command list, not the crew.
COMMAND_LIKE_WORDS = 3


def answer(ctx: TurnContext, args: Args) -> None:
    text: str = args["text"]
    if ctx.rt.settings.llm_configured and len(normalize(text).split()) > COMMAND_LIKE_WORDS:
        from crews.entry import handle_freeform

        handle_freeform(ctx, text)
        return
    if not ctx.rt.settings.llm_configured and len(normalize(text).split()) > COMMAND_LIKE_WORDS:
        ctx.say(Reply(ctx.t("freeform.no_llm")))
    else:
        ctx.say(Reply(ctx.t("freeform.unknown_command", text=text[:80])))
    ctx.say(help_reply(ctx))
