""" "uso" / "usage": the LLM's tokens and estimated cost this month, per flow and prompt variant.

Reads the ``llm_usage`` table only; never calls the LLM (nor imports CrewAI).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.core.context import TurnContext
from crews import messages  # noqa: F401  (registers the crew's messages)
from crews.llm_cap import check as cap_check
from crews.llm_cap import today_line
from crews.usage import Bucket, usage_summary
from storage.clock import utcnow
from vocabulary.i18n import Locale
from vocabulary.parsing import Args
from vocabulary.replies import Reply


def show_usage(ctx: TurnContext, args: Args) -> None:
    tz = ZoneInfo(ctx.prefs.timezone)
    now = datetime.now(tz)
    since = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    summary = usage_summary(ctx.session, ctx.workspace.id, since)
    title = ctx.t("usage.title", period=ctx.t("usage.period.month"))
    model = ctx.rt.settings.llm_model or ctx.t("usage.no_model")
    context = ctx.t("usage.context", model=model)
    cap, used = cap_check(ctx.session, ctx.prefs, ctx.rt.settings, utcnow())
    today = today_line(cap, used, ctx.locale)  # the daily budget (issue 13)
    if not summary.total.runs:
        ctx.say(Reply(f"*{title}*\n{ctx.t('usage.none')}\n{today}", title=title, context=context))
        return
    loc = ctx.locale
    total = _line(loc, "usage.total", summary.total) + "\n" + today
    sections = [
        (
            ctx.t("usage.by_flow"),
            "\n".join(
                "• " + _named(loc, ctx.t(f"usage.flow.{flow}"), bucket)
                for flow, bucket in sorted(summary.by_flow.items())
            ),
        ),
        (
            ctx.t("usage.by_variant"),
            "\n".join(
                "• " + _named(loc, variant, bucket)
                for variant, bucket in sorted(summary.by_variant.items())
            ),
        ),
    ]
    if summary.unpriced_models:
        sections.append(
            ("", ctx.t("usage.unpriced", models=", ".join(sorted(summary.unpriced_models))))
        )
    text = "\n\n".join(
        [f"*{title}*", total]
        + [f"*{heading}*\n{body}" if heading else body for heading, body in sections]
        + [f"_{context}_"]
    )
    ctx.say(Reply(text, title=title, sections=tuple(sections), context=context))


def usd(locale: Locale, amount: Decimal) -> str:
    """Estimated dollars with enough digits for cents of a cent."""
    digits = 2 if amount >= 1 else 4
    return "US$ " + locale.number(amount, digits)


def _line(locale: Locale, key: str, bucket: Bucket) -> str:
    return locale.t(
        key,
        runs=bucket.runs,
        tokens=locale.number(bucket.tokens),
        prompt=locale.number(bucket.prompt_tokens),
        completion=locale.number(bucket.completion_tokens),
        cost=usd(locale, bucket.cost_usd),
    )


def _named(locale: Locale, name: str, bucket: Bucket) -> str:
    return locale.t(
        "usage.line",
        name=name,
        runs=bucket.runs,
        tokens=locale.number(bucket.tokens),
        cost=usd(locale, bucket.cost_usd),
    )
