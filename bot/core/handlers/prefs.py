"""Per-user preferences set from the chat (language)."""

from __future__ import annotations

from bot.core.context import TurnContext
from bot.core.intents import Args
from bot.core.types import Reply
from mediabrain.i18n import Locale


def set_language(ctx: TurnContext, args: Args) -> None:
    ctx.user.language = args["language"]
    ctx.locale = Locale(language=args["language"], timezone=ctx.locale.timezone)
    ctx.say(Reply(ctx.t("prefs.language_set")))
