"""Every intent and button the bot understands, in the order they are tried.

Read this table to find what answers a message: the matcher (pure, in
:mod:`bot.core.intents`) and the handler (in :mod:`bot.core.handlers`).
Free text nobody matches goes to the fallback: the crew when an LLM is
configured, otherwise a helpful list of what works.
"""

from __future__ import annotations

from bot.core import (
    brain_intents,
    intents,
    person_intents,
    phone_intents,
    phrasing,
    rule_intents,
    schedule_intents,
)
from bot.core.router import ActionRoute, Matcher, Route, Router, lazy
from crews import intents as crew_intents
from storage.models import Role
from vocabulary.parsing import Args

H = "bot.core.handlers"


def match_report(text: str, language: str) -> Args | None:
    """A report request, unless it asks the crew to analyse, plan or write ("analise o ROAS")."""
    return None if crew_intents.is_crew_request(text) else intents.match_report(text, language)


def unless_crew(matcher: Matcher) -> Matcher:
    """``matcher``, except for what asks the crew to plan, analyse or write ("planeje a melhor
    campanha de Black Friday" is a plan, not a question about the best campaign)."""

    def match(text: str, language: str) -> Args | None:
        return None if crew_intents.is_crew_request(text) else matcher(text, language)

    match.__name__ = getattr(matcher, "__name__", "match")
    return match


ROUTER = Router(
    routes=[
        Route("help", intents.match_help, lazy(f"{H}.help:show_help")),
        Route("language", intents.match_language, lazy(f"{H}.prefs:set_language")),
        # --- WhatsApp channel (issue 6): an admin links a phone number from chat ---
        Route(
            "link_whatsapp",
            phone_intents.match_link,
            lazy("bot.core.handlers.phone_link:link_number"),
            Role.ADMIN,
        ),
        Route(
            "decision_reason",
            intents.match_decision_reason,
            lazy(f"{H}.approvals:give_reason"),
            Role.APPROVER,
        ),
        Route("history", intents.match_history, lazy(f"{H}.history:show_history")),
        # --- a person's memory (issue 15): tone and account follow the person ---
        Route("tone", person_intents.match_tone, lazy(f"{H}.person:set_tone")),
        Route("recall", person_intents.match_recall, lazy(f"{H}.person:show_recall")),
        # --- the brain (issue 12): figures behind a card, the month, what-if ---
        Route("why", brain_intents.match_why, lazy(f"{H}.brain:why")),
        Route("forecast", brain_intents.match_forecast, lazy(f"{H}.brain:forecast")),
        Route("simulate", brain_intents.match_simulate, lazy(f"{H}.brain:simulate")),
        Route("test_rule", rule_intents.match_test_rule, lazy(f"{H}.rules:test_rule")),
        Route(
            "shadow_rule",
            rule_intents.match_shadow_rule,
            lazy(f"{H}.rules:shadow_rule"),
            Role.OPERATOR,
        ),
        Route("rules", rule_intents.match_rules, lazy(f"{H}.rules:list_rules")),
        Route("usage", intents.match_usage, lazy(f"{H}.usage:show_usage")),
        # --- the crew (issue 7): a typed "criar como rascunho" for the latest plan ---
        Route(
            "plan_drafts",
            crew_intents.match_create_drafts,
            lazy("bot.core.handlers.crew_actions:create_drafts_typed"),
            Role.OPERATOR,
        ),
        Route("alerts", intents.match_alerts, lazy(f"{H}.alerts:show_alerts")),
        Route(
            "monthly_limit",
            intents.match_monthly_limit,
            lazy(f"{H}.alerts:set_monthly_limit"),
            min_role=Role.ADMIN,
        ),
        # --- pushes per chat (issue 8): before pause/report, which would misread them ---
        Route(
            "daily_report",
            schedule_intents.match_daily_report,
            lazy(f"{H}.subscriptions:set_daily_report"),
        ),
        Route("send_now", schedule_intents.match_send_now, lazy(f"{H}.subscriptions:send_now")),
        Route(
            "alerts_switch",
            schedule_intents.match_alerts_switch,
            lazy(f"{H}.subscriptions:switch_alerts"),
        ),
        Route(
            "alert_thresholds",
            schedule_intents.match_alert_thresholds,
            lazy(f"{H}.subscriptions:set_thresholds"),
        ),
        Route(
            "subscriptions",
            schedule_intents.match_subscriptions,
            lazy(f"{H}.subscriptions:show_subscriptions"),
        ),
        # --- end of pushes per chat ---
        Route("settings", intents.match_settings, lazy(f"{H}.settings:show_settings")),
        Route("setting", intents.match_setting, lazy(f"{H}.settings:set_setting"), Role.ADMIN),
        Route("accounts", intents.match_accounts, lazy(f"{H}.accounts:list_accounts")),
        Route("use_account", intents.match_use_account, lazy(f"{H}.accounts:use_account")),
        Route("campaigns", intents.match_campaigns, lazy(f"{H}.campaigns:list_campaigns")),
        Route("budget", intents.match_budget, lazy(f"{H}.changes:set_budget"), Role.OPERATOR),
        Route("pause", intents.match_pause, lazy(f"{H}.changes:pause"), Role.OPERATOR),
        Route("resume", intents.match_resume, lazy(f"{H}.changes:resume"), Role.OPERATOR),
        # --- natural phrasing without an LLM (issue 15): any word order, side-by-side questions ---
        Route(
            "budget_phrase",
            unless_crew(phrasing.match_relative_budget),
            lazy(f"{H}.changes:set_budget"),
            Role.OPERATOR,
        ),
        Route("rank", unless_crew(phrasing.match_rank), lazy(f"{H}.ranking:show_rank")),
        Route(
            "per_campaign",
            unless_crew(phrasing.match_per_campaign),
            lazy(f"{H}.ranking:show_per_campaign"),
        ),
        # --- end of natural phrasing ---
        Route("report", match_report, lazy(f"{H}.reports:show_report")),
    ],
    actions=[
        ActionRoute("command", lazy(f"{H}.command:run_command")),
        ActionRoute("approval.", lazy(f"{H}.approvals:on_click")),
        # the crew (issue 7): the plan card's "create as paused drafts"
        ActionRoute("plan.", lazy("bot.core.handlers.crew_actions:on_plan_action"), Role.OPERATOR),
        ActionRoute(
            "whatsapp.", lazy("bot.core.handlers.phone_link:on_action")
        ),  # WhatsApp channel (issue 6)
    ],
    fallback=lazy(f"{H}.freeform:answer"),
)
