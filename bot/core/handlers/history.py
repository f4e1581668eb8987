""" "histórico" / "history": what was proposed, decided and executed, newest last."""

from __future__ import annotations

from bot.core.audit_history import history_lines
from bot.core.context import TurnContext
from vocabulary.parsing import Args
from vocabulary.replies import Reply

LIMIT = 15


def show_history(ctx: TurnContext, args: Args) -> None:
    lines = history_lines(ctx.session, ctx.workspace.id, ctx.locale, limit=LIMIT)
    title = ctx.t("history.title")
    if not lines:
        ctx.say(Reply(ctx.t("history.empty"), title=title))
        return
    body = [f"*{title}*", *lines]
    if len(lines) >= LIMIT:
        body.append(f"_{ctx.t('history.more', count=LIMIT)}_")
    ctx.say(
        Reply(
            "\n".join(body),
            title=title,
            context=ctx.t("history.more", count=LIMIT) if len(lines) >= LIMIT else None,
        )
    )
