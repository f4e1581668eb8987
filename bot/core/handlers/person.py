"""A person's memory from chat: their tone, and what is remembered about them.

The tone reaches the crew's prompts (``storage.memory.Remembered.as_prompt``); the default
account follows the person to their next chat (``usar conta``). Both are remembered for this
chat and for the person.
"""

from __future__ import annotations

from bot.core.context import TurnContext
from storage.memory import recall, remember
from storage.models import AdAccount
from vocabulary.i18n import register
from vocabulary.parsing import Args, as_typed
from vocabulary.replies import Reply

MESSAGES: dict[str, dict[str, str]] = {
    "person.tone_set": {
        "pt-BR": "Anotado: vou responder em tom “{tone}”, aqui e nas suas outras conversas.",
        "en": "Noted: I'll answer in a “{tone}” tone, here and in your other chats.",
    },
    "person.recall": {
        "pt-BR": "O que eu lembro de você: idioma {lang} · tom {tone} · conta {account}.",
        "en": "What I remember about you: language {lang} · tone {tone} · account {account}.",
    },
    "person.none": {"pt-BR": "(padrão do workspace)", "en": "(the workspace's default)"},
    "person.language.pt-BR": {"pt-BR": "português", "en": "Portuguese"},
    "person.language.en": {"pt-BR": "inglês", "en": "English"},
}
register(MESSAGES)


def set_tone(ctx: TurnContext, args: Args) -> None:
    tone = as_typed(ctx.inbound.text or "", args["tone"])
    remember(ctx.session, ctx.conversation, ctx.user.id, tone=tone)
    ctx.say(Reply(ctx.t("person.tone_set", tone=tone)))


def show_recall(ctx: TurnContext, args: Args) -> None:
    known = recall(ctx.session, ctx.conversation, ctx.user.id)
    none = ctx.t("person.none")
    account = ctx.session.get(AdAccount, known.account_pk) if known.account_pk else None
    ctx.say(
        Reply(
            ctx.t(
                "person.recall",
                lang=ctx.t(f"person.language.{known.language}") if known.language else none,
                tone=known.tone or none,
                account=(account.name or account.external_id) if account else none,
            )
        )
    )
