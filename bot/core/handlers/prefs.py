"""Preferences set from the chat (language): remembered for the person and for this chat.

The person's choice follows them to every chat; the chat's own language is what pushes and
cards refreshed later in this chat are written in.
"""

from __future__ import annotations

from bot.core.context import TurnContext
from vocabulary.i18n import Locale
from vocabulary.parsing import Args
from vocabulary.replies import Reply


def set_language(ctx: TurnContext, args: Args) -> None:
    ctx.user.language = args["language"]
    ctx.conversation.language = args["language"]
    ctx.locale = Locale(language=args["language"], timezone=ctx.locale.timezone)
    ctx.say(Reply(ctx.t("prefs.language_set")))
