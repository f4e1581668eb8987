"""Help: what the bot can do, in the reader's language."""

from __future__ import annotations

from bot.core.context import TurnContext
from vocabulary.i18n import Locale
from vocabulary.inbound import Action
from vocabulary.parsing import Args
from vocabulary.replies import Button, Reply


def help_reply(locale: Locale, *, llm_configured: bool) -> Reply:
    """The help menu. Its text stays within WhatsApp's 1,024-character interactive body, so
    it travels as one message with its buttons: a WhatsApp number sends 80 messages a second
    by default, and a second message per help halved how many people a burst could answer."""
    llm = locale.t("help.llm_on") if llm_configured else locale.t("help.llm_off")
    pt = locale.language == "pt-BR"
    return Reply(
        locale.t("help.text", llm=llm),
        title=locale.t("help.title"),
        buttons=(
            Button(
                locale.t("help.button.report"),
                Action("command", "relatorio ultimos 7 dias" if pt else "report last 7 days"),
            ),
            Button(
                locale.t("help.button.campaigns"),
                Action("command", "campanhas" if pt else "campaigns"),
            ),
        ),
    )


def show_help(ctx: TurnContext, args: Args) -> None:
    ctx.say(help_reply(ctx.locale, llm_configured=ctx.rt.settings.llm_configured))
