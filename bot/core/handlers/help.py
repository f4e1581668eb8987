"""Help: what the bot can do, in the reader's language."""

from __future__ import annotations

from bot.core.context import TurnContext
from vocabulary.inbound import Action
from vocabulary.parsing import Args
from vocabulary.replies import Button, Reply


def help_reply(ctx: TurnContext) -> Reply:
    llm = ctx.t("help.llm_on") if ctx.rt.settings.llm_configured else ctx.t("help.llm_off")
    return Reply(
        ctx.t("help.text", llm=llm),
        title=ctx.t("help.title"),
        buttons=(
            Button(
                ctx.t("help.button.report"),
                Action(
                    "command",
                    "relatorio ultimos 7 dias" if ctx.lang == "pt-BR" else "report last 7 days",
                ),
            ),
            Button(
                ctx.t("help.button.campaigns"),
                Action("command", "campanhas" if ctx.lang == "pt-BR" else "campaigns"),
            ),
        ),
    )


def show_help(ctx: TurnContext, args: Args) -> None:
    ctx.say(help_reply(ctx))
