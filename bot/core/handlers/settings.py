"""Workspace settings in chat: everyone sees them, admins change them (audited)."""

from __future__ import annotations

from bot.core import workspace_config as config
from bot.core.context import TurnContext
from storage.repositories import audit
from vocabulary.parsing import Args, as_typed
from vocabulary.replies import Reply


def show_settings(ctx: TurnContext, args: Args) -> None:
    rows = config.overview(ctx.prefs, ctx.locale)
    title = ctx.t("config.title")
    lines = [f"*{title}*", *(f"• {label}: {value}" for _, label, value in rows)]
    lines.append(f"_{ctx.t('config.hint')}_")
    ctx.say(Reply("\n".join(lines), title=title))


def set_setting(ctx: TurnContext, args: Args) -> None:
    field = config.find_field(args["field"])
    if field is None:
        ctx.say(Reply(ctx.t("config.unknown_field", name=args["field"]), kind="error"))
        return
    raw = as_typed(ctx.inbound.text or "", args["value"])  # names keep their case and accents
    try:
        value = config.parse_value(field, raw, language=ctx.lang, currency=ctx.prefs.currency)
    except config.BadValue as bad:
        ctx.say(Reply(ctx.t(bad.key, **bad.params), kind="error"))
        return
    before = config.show(ctx.prefs, field, ctx.locale)
    config.apply(ctx.prefs, field, value)
    shown = config.show(ctx.prefs, field, ctx.locale)
    audit(
        ctx.session,
        ctx.workspace.id,
        actor=f"user:{ctx.user.id}",
        action="settings.changed",
        subject=field.key,
        channel=ctx.inbound.channel.value,
        detail={"field": field.key, "before": before, "after": shown},
    )
    key = "config.cleared" if value is None else "config.set"
    ctx.say(Reply(ctx.t(key, label=config.label(field, ctx.locale), value=shown)))
