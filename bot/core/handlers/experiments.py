"""A/B tests in chat: create (copy, creatives, the crew's variations, audiences, placements),
list, show, start, stop, apply the winner, and "o que funciona?". Every write is a proposal."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from ads.base import Ad, AdsPlatform, Level, Period, Status
from analytics.experiments.counts import Metric
from bot.core.context import TurnContext
from bot.core.experiment_intents import quoted
from bot.core.experiments import (
    cards,
    learn,
    messages,  # noqa: F401  (registers the messages)
    monitor,
    rollout,
    store,
)
from bot.core.experiments.design import NoBaseline
from bot.core.experiments.placements import placement_spec, without_placements
from bot.core.experiments.setup import (
    Request,
    Source,
    Variant,
    audience_name,
    launch,
    local_today,
    source_of,
    top_campaign,
)
from bot.core.handlers.choose import find_campaign
from storage.models import Experiment
from supervisor.proposals import Proposer
from vocabulary.inbound import Action
from vocabulary.parsing import Args
from vocabulary.replies import Reply

MAX_VARIANTS = 5


def _request(ctx: TurnContext) -> Request:
    return Request(
        workspace_id=ctx.workspace.id,
        account=ctx.account(),
        proposer=Proposer("user", str(ctx.user.id)),
        language=ctx.lang,
        user_id=ctx.user.id,
        conversation_id=ctx.conversation.id,
        channel=ctx.inbound.channel.value,
        outbox=ctx.outbox,
    )


def _where(ctx: TurnContext) -> dict[str, Any]:
    return {
        "user_id": ctx.user.id,
        "conversation_id": ctx.conversation.id,
        "channel": ctx.inbound.channel.value,
        "outbox": ctx.outbox,
    }


def _today(ctx: TurnContext) -> Any:
    return local_today(ctx.rt.now(), ctx.account().timezone)


# --- creating a test ----------------------------------------------------------------------------


def create(ctx: TurnContext, args: Args) -> None:
    kind = args["kind"]
    makers = {
        "copy": _copy,
        "creative": _creatives,
        "crew": _crew,
        "audience": _audience,
        "placement": _placement,
    }
    planned = makers[kind](ctx, args)
    if planned is None:
        return
    name, metric, source, variants, test_kind = planned
    if not 2 <= len(variants) <= MAX_VARIANTS:
        ctx.say(
            Reply(
                ctx.t("experiments.too_many", max=MAX_VARIANTS, count=len(variants)), kind="error"
            )
        )
        return
    try:
        row = launch(
            ctx.rt,
            _request(ctx),
            kind=test_kind,
            name=name,
            metric=metric,
            source=source,
            variants=variants,
        )
    except NoBaseline:
        ctx.say(Reply(ctx.t("experiments.no_history", name=source.campaign.name), kind="error"))
        return
    monitor.follow(ctx.rt, ctx.workspace.id, row.id)  # an allowed draft has already run
    monitor.show_in_turn(ctx.rt, ctx.workspace.id, row.id, ctx.outbox)


Planned = tuple[str, Metric, Source, list[Variant], str]


def _copy(ctx: TurnContext, args: Args) -> Planned | None:
    texts = quoted(ctx.inbound.text or "")
    query = args.get("campaign") or ""
    account = ctx.account()
    ads = ctx.ads(account)
    if query:
        again = " vs ".join(f'"{t}"' for t in texts)
        campaign = find_campaign(ctx, query, lambda c: f"teste A/B na campanha id:{c.id}: {again}")
    else:
        campaign = top_campaign(ads, account.external_id, _today(ctx))
        if campaign is None:
            ctx.say(Reply(ctx.t("experiments.no_campaign"), kind="error"))
    if campaign is None:
        return None
    source = source_of(ads, account.external_id, campaign)
    body = source.creative.body if source.creative else ""
    variants = [Variant(name=t, headline=t, body=body, angle=t) for t in texts]
    return f"copy · {campaign.name}", Metric.CTR, source, variants, "copy"


def numbered_ads(ctx: TurnContext) -> list[Ad]:
    """The account's active ads, biggest spenders of the last 7 days first (1, 2, 3...)."""
    account = ctx.account()
    ads = ctx.ads(account)
    active = [a for a in ads.list_ads(account.external_id) if a.status is Status.ACTIVE]
    today = _today(ctx)
    period = Period(today - timedelta(days=7), today - timedelta(days=1))
    rows = ads.insights(account.external_id, Level.AD, period, object_ids=[a.id for a in active])
    spend: dict[str, Decimal] = {}
    for row in rows:
        spend[row.object_id] = spend.get(row.object_id, Decimal(0)) + row.spend
    return sorted(active, key=lambda a: (-spend.get(a.id, Decimal(0)), a.name))


def _creatives(ctx: TurnContext, args: Args) -> Planned | None:
    account = ctx.account()
    ads = ctx.ads(account)
    ordered = numbered_ads(ctx)
    missing = [n for n in args["numbers"] if not 1 <= n <= len(ordered)]
    if missing:
        ctx.say(
            Reply(
                ctx.t("experiments.ads_missing", count=len(ordered), missing=missing[0]),
                kind="error",
            )
        )
        return None
    chosen = [ordered[n - 1] for n in args["numbers"]]
    creatives = {c.id: c for c in ads.list_creatives(account.external_id)}
    campaign = ads.get_campaign(chosen[0].campaign_id)
    base = source_of(ads, account.external_id, campaign)
    source = Source(
        campaign=campaign,
        targeting=base.targeting,
        optimization_goal=base.optimization_goal,
        daily_budget=base.daily_budget,
        creative=creatives.get(chosen[0].creative_id or ""),
        audience=base.audience,
        history_level=Level.AD,
        history_ids=tuple(a.id for a in chosen),
    )
    variants = []
    for ad in chosen:
        creative = creatives.get(ad.creative_id or "")
        variants.append(
            Variant(
                name=ad.name,
                headline=creative.title if creative else ad.name,
                body=creative.body if creative else "",
                angle=creative.title if creative else "",
                source_ad=ad.id,
            )
        )
    names = " vs ".join(a.name for a in chosen)
    return f"criativos · {names}"[:200], Metric.CTR, source, variants, "creative"


def _crew(ctx: TurnContext, args: Args) -> Planned | None:
    copies = ((ctx.conversation.state or {}).get("last_copy") or {}).get("variations") or []
    if not copies:
        ctx.say(Reply(ctx.t("experiments.no_copies")))
        return None
    count = int(args["count"])
    if count > len(copies):
        ctx.say(Reply(ctx.t("experiments.few_copies", have=len(copies), count=count), kind="error"))
        return None
    account = ctx.account()
    ads = ctx.ads(account)
    campaign = top_campaign(ads, account.external_id, _today(ctx))
    if campaign is None:
        ctx.say(Reply(ctx.t("experiments.no_campaign"), kind="error"))
        return None
    source = source_of(ads, account.external_id, campaign)
    variants = [
        Variant(
            name=c["headline"],
            headline=c["headline"],
            body=c["primary_text"],
            angle=c.get("angle") or c["headline"],
        )
        for c in copies[:count]
    ]
    return f"copy da equipe · {campaign.name}"[:200], Metric.CTR, source, variants, "copy"


#: Words for audiences, matched against the account's ad sets' targeting.
_AUDIENCES = {
    "lookalike": ("lookalike", "semelhante", "lal"),
    "interests": ("interesse", "interesses", "interest", "interests"),
    "remarketing": ("remarketing", "retargeting", "visitantes", "carrinho"),
    "broad": ("amplo", "aberto", "broad", "advantage"),
}


def _audience_kind(option: str) -> str | None:
    for kind, words in _AUDIENCES.items():
        if any(w in option for w in words):
            return kind
    return None


def _targeting_for(kind: str, specs: list[dict[str, Any]]) -> dict[str, Any] | None:
    for spec in specs:
        audiences = spec.get("custom_audiences") or []
        names = " ".join(str(a.get("name", "")).lower() for a in audiences)
        if kind == "lookalike" and "lookalike" in names:
            return spec
        if kind == "remarketing" and audiences and "lookalike" not in names:
            return spec
        if kind == "interests" and spec.get("flexible_spec") and not audiences:
            return spec
        if kind == "broad" and not audiences and not spec.get("flexible_spec"):
            return spec
    return None


def _top_source(ctx: TurnContext) -> tuple[AdsPlatform, Source] | None:
    """The account's ads and the top campaign's ad set and ad: what audience and placement
    tests copy, changing one thing (an error said when there is no campaign to copy)."""
    account = ctx.account()
    ads = ctx.ads(account)
    campaign = top_campaign(ads, account.external_id, _today(ctx))
    if campaign is None:
        ctx.say(Reply(ctx.t("experiments.no_campaign"), kind="error"))
        return None
    return ads, source_of(ads, account.external_id, campaign)


def _variant(base: Source, option: str, targeting: dict[str, Any], **extra: Any) -> Variant:
    """``base``'s ad under ``targeting``: the one thing the test varies."""
    creative = base.creative
    return Variant(
        name=option,
        headline=creative.title if creative else base.campaign.name,
        body=creative.body if creative else "",
        targeting=targeting,
        **extra,
    )


def _audience(ctx: TurnContext, args: Args) -> Planned | None:
    top = _top_source(ctx)
    if top is None:
        return None
    ads, base = top
    external_id = ctx.account().external_id
    specs = [dict(a.targeting) for a in ads.list_adsets(external_id) if a.targeting]
    variants = []
    for option in args["options"]:
        kind = _audience_kind(option)
        targeting = _targeting_for(kind, specs) if kind else None
        if targeting is None:
            ctx.say(Reply(ctx.t("experiments.audience_unknown", name=option), kind="error"))
            return None
        variants.append(_variant(base, option, targeting, audience=audience_name(targeting)))
    source = replace(base, history_level=Level.ACCOUNT, history_ids=())
    word = "público" if ctx.lang == "pt-BR" else "audience"
    name = f"{word} · " + " vs ".join(args["options"])
    return name[:200], Metric.CPA, source, variants, "audience"


def _placement(ctx: TurnContext, args: Args) -> Planned | None:
    """The top campaign's ad set and ad, one ad set per placement (the rest identical)."""
    top = _top_source(ctx)
    if top is None:
        return None
    _, base = top
    variants = []
    for option in args["options"]:
        spec = placement_spec(option)
        if spec is None:
            ctx.say(Reply(ctx.t("experiments.placement_unknown", name=option), kind="error"))
            return None
        targeting = {**without_placements(base.targeting), **spec}
        variants.append(_variant(base, option, targeting, audience=base.audience, angle=option))
    source = replace(base, history_level=Level.ACCOUNT)
    word = "posicionamento" if ctx.lang == "pt-BR" else "placement"
    return f"{word} · " + " vs ".join(args["options"]), Metric.CPA, source, variants, "placement"


# --- following tests ----------------------------------------------------------------------------


def _find(ctx: TurnContext, number: int) -> Experiment | None:
    row = store.by_number(ctx.session, ctx.workspace.id, number)
    if row is None:
        ctx.say(Reply(ctx.t("experiments.not_found", number=number), kind="error"))
        return None
    monitor.follow(ctx.rt, ctx.workspace.id, row.id)
    ctx.session.refresh(row)
    return row


def list_tests(ctx: TurnContext, args: Args) -> None:
    rows = store.listed(ctx.session, ctx.workspace.id)
    if not rows:
        ctx.say(Reply(ctx.t("experiments.none")))
        return
    lines = [f"*{ctx.t('experiments.list.title')}*"]
    for row in rows:
        if row.status in store.LIVE:
            monitor.follow(ctx.rt, ctx.workspace.id, row.id)
            ctx.session.refresh(row)
        lines.append(
            ctx.t(
                "experiments.list.line",
                number=row.number,
                name=row.name,
                status=cards.state_words(row, ctx.locale),
            )
        )
    ctx.say(Reply("\n".join(lines), title=ctx.t("experiments.list.title")))


def show_test(ctx: TurnContext, args: Args) -> None:
    row = _find(ctx, int(args["number"]))
    if row is None:
        return
    chart = None
    if row.started_on is not None and row.status not in (
        "proposed",
        "created",
        "starting",
        "rejected",
    ):
        account = ctx.account()
        series = monitor.series_of(ctx.ads(account), account.external_id, row, _today(ctx))
        chart = monitor.chart_for(series, Metric(row.metric), ctx.locale)
    monitor.show_in_turn(ctx.rt, ctx.workspace.id, row.id, ctx.outbox, chart)


def start_test(ctx: TurnContext, args: Args) -> None:
    row = _find(ctx, int(args["number"]))
    if row is None:
        return
    if row.status != "created":
        status = cards.state_words(row, ctx.locale)
        ctx.say(Reply(ctx.t("experiments.cannot_start", number=row.number, status=status)))
        return
    rollout.start(ctx.rt, row, ctx.locale, Proposer("user", str(ctx.user.id)), **_where(ctx))
    # An allowed start has already run and its card moved (monitor.on_proposal); one that
    # waits for an approver shows "waiting" now.
    if monitor.follow(ctx.rt, ctx.workspace.id, row.id) == "starting":
        monitor.publish(ctx.rt, ctx.workspace.id, row.id)


def stop_test(ctx: TurnContext, args: Args) -> None:
    row = _find(ctx, int(args["number"]))
    if row is None:
        return
    if row.status in ("stopped", "rejected", "applied"):
        status = cards.state_words(row, ctx.locale)
        ctx.say(Reply(ctx.t("experiments.already_ended", number=row.number, status=status)))
        return
    rollout.stop(ctx.rt, row, ctx.locale, Proposer("user", str(ctx.user.id)), **_where(ctx))
    monitor.publish(ctx.rt, ctx.workspace.id, row.id)


def apply_winner(ctx: TurnContext, args: Args) -> None:
    if "number" in args:
        row = _find(ctx, int(args["number"]))
    else:
        row = store.latest_decided(ctx.session, ctx.workspace.id)
        if row is None:
            ctx.say(Reply(ctx.t("experiments.no_winner_yet")))
            return
    if row is None:
        return
    if row.status != "winner":
        status = cards.state_words(row, ctx.locale)
        ctx.say(Reply(ctx.t("experiments.cannot_apply", number=row.number, status=status)))
        return
    rollout.apply_winner(ctx.rt, row, ctx.locale, Proposer("user", str(ctx.user.id)), **_where(ctx))
    monitor.publish(ctx.rt, ctx.workspace.id, row.id)


def what_works(ctx: TurnContext, args: Args) -> None:
    ctx.say(learn.what_works(ctx.rt, ctx.workspace.id, ctx.locale))


def on_action(ctx: TurnContext, action: Action) -> None:
    """ActionRoute "experiment.": the test card's buttons (the value is the test's number)."""
    handlers = {cards.START: start_test, cards.STOP: stop_test, cards.APPLY: apply_winner}
    handler = handlers.get(action.name)
    if handler is None or not str(action.value).isdigit():
        ctx.say(Reply(ctx.t("error.unknown_action"), kind="error"))
        return
    handler(ctx, {"number": int(action.value)})
