"""Every intent and button the bot understands, in the order they are tried.

Read this table to find what answers a message: the matcher (pure, in
:mod:`bot.core.intents`) and the handler (in :mod:`bot.core.handlers`).
Free text nobody matches goes to the fallback: the crew when an LLM is
configured, otherwise a helpful list of what works.
"""

from __future__ import annotations

from bot.core import (
    account_intents,
    alert_intents,
    brain_intents,
    experiment_intents,
    intents,
    limit_intents,
    move_intents,
    person_intents,
    phone_intents,
    phrasing,
    rule_intents,
    schedule_intents,
)
from bot.core.platform_intents import platform_in
from bot.core.platform_limit_intents import match_platform_limit
from bot.core.roles import freeform_role
from bot.core.router import ActionRoute, Matcher, Route, Router, lazy
from bot.core.typed_decisions import match_decide, match_pending
from bot.core.unclear_inputs import match_bad_monthly_limit, match_bare, match_delete
from crews import intents as crew_intents
from storage.models import Role
from vocabulary.parsing import Args

H = "bot.core.handlers"


def match_report(text: str, language: str) -> Args | None:
    """A report request, unless it asks the crew to analyse, plan or write ("analise o ROAS")."""
    if crew_intents.is_crew_request(text):
        return None
    named, rest = platform_in(text)  # "relatório google": one platform's account
    args = intents.match_report(rest if named else text, language)
    if args is not None and named:
        args["platform"] = named
    return args


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
        # --- an admin links an ad account of any platform: "vincular google 123-456-7890" ---
        Route(
            "link_account",
            account_intents.match_link_account,
            lazy(f"{H}.link_account:link_account"),
            Role.ADMIN,
        ),
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
        # --- issue 15: approvals by number in every channel, also after a restart ---
        Route("pending", match_pending, lazy(f"{H}.pending:list_pending")),
        # aprovar/rejeitar N need an approver, desfazer N an operator: the supervisor checks
        Route("decide", match_decide, lazy(f"{H}.pending:decide_numbered"), Role.OPERATOR),
        # --- end of approvals by number ---
        Route("history", intents.match_history, lazy(f"{H}.history:show_history")),
        # --- A/B tests (issue 16): before pause ("parar teste 2") and the crew ---
        Route(
            "test_create",
            experiment_intents.match_create,
            lazy(f"{H}.experiments:create"),
            Role.OPERATOR,
        ),
        Route("tests", experiment_intents.match_list, lazy(f"{H}.experiments:list_tests")),
        Route(
            "test_stop",
            experiment_intents.match_stop,
            lazy(f"{H}.experiments:stop_test"),
            Role.OPERATOR,
        ),
        Route(
            "test_start",
            experiment_intents.match_start,
            lazy(f"{H}.experiments:start_test"),
            Role.OPERATOR,
        ),
        Route(
            "test_apply",
            experiment_intents.match_apply,
            lazy(f"{H}.experiments:apply_winner"),
            Role.OPERATOR,
        ),
        Route("test_show", experiment_intents.match_show, lazy(f"{H}.experiments:show_test")),
        Route(
            "what_works", experiment_intents.match_what_works, lazy(f"{H}.experiments:what_works")
        ),
        # --- end of A/B tests ---
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
        # --- the LLM's daily budget (issue 13): admins set it; "uso" shows it ---
        Route(
            "llm_limit",
            limit_intents.match_llm_limit,
            lazy(f"{H}.settings:set_setting"),
            Role.ADMIN,
        ),
        Route("usage", intents.match_usage, lazy(f"{H}.usage:show_usage")),
        # --- the crew (issue 7): a typed "criar como rascunho" for the latest plan ---
        Route(
            "plan_drafts",
            crew_intents.match_create_drafts,
            lazy("bot.core.handlers.crew_actions:create_drafts_typed"),
            Role.OPERATOR,
        ),
        # --- smart alerts (issue 17): a chat's mutes and thresholds per kind ---
        Route(
            "alerts_mute",
            alert_intents.match_mute,
            lazy(f"{H}.smart_alerts:mute"),
            Role.OPERATOR,  # a shared chat's alerts: not a viewer's to silence (issue 13)
        ),
        Route(
            "alerts_threshold",
            alert_intents.match_threshold,
            lazy(f"{H}.smart_alerts:set_threshold"),
            Role.OPERATOR,
        ),
        Route("personas", alert_intents.match_personas, lazy(f"{H}.personas:show_personas")),
        Route("alerts", intents.match_alerts, lazy(f"{H}.alerts:show_alerts")),
        Route(  # issue 18: "limite mensal google R$ 20.000", a platform's own limit
            "platform_limit",
            match_platform_limit,
            lazy(f"{H}.settings:set_setting"),
            min_role=Role.ADMIN,
        ),
        Route(
            "monthly_limit",
            intents.match_monthly_limit,
            lazy(f"{H}.alerts:set_monthly_limit"),
            min_role=Role.ADMIN,
        ),
        # issue 15: a monthly limit nobody can set ("limite mensal -100") gets a clear error
        Route("bad_monthly_limit", match_bad_monthly_limit, lazy(f"{H}.inputs:bad_monthly_limit")),
        # --- pushes per chat (issue 8): before pause/report, which would misread them ---
        Route(
            "daily_report",
            schedule_intents.match_daily_report,
            lazy(f"{H}.subscriptions:set_daily_report"),
            Role.OPERATOR,  # a chat's pushes are shared: viewers read them
        ),
        Route("send_now", schedule_intents.match_send_now, lazy(f"{H}.subscriptions:send_now")),
        Route(
            "alerts_switch",
            schedule_intents.match_alerts_switch,
            lazy(f"{H}.subscriptions:switch_alerts"),
            Role.OPERATOR,  # a chat's pushes are shared: viewers read them
        ),
        Route(
            "alert_thresholds",
            schedule_intents.match_alert_thresholds,
            lazy(f"{H}.subscriptions:set_thresholds"),
            Role.OPERATOR,  # a chat's pushes are shared: viewers read them
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
        # --- issue 15: a change with no target asks which; deleting a campaign archives it ---
        Route("which_target", match_bare, lazy(f"{H}.inputs:ask_target")),
        Route("delete", match_delete, lazy(f"{H}.inputs:delete_campaign"), Role.OPERATOR),
        # --- end of targets asked back ---
        # --- issue 18: a budget move between two campaigns, on any of the workspace's accounts ---
        Route("move_budget", move_intents.match_move, lazy(f"{H}.moves:move"), Role.OPERATOR),
        # --- end of budget moves ---
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
        # personas (issue 17): a paused ad set aimed at the best persona
        ActionRoute("persona.", lazy(f"{H}.personas:on_action"), Role.OPERATOR),
        # --- approval cards (issue 13): each button its role; the supervisor checks again ---
        ActionRoute("approval.approve", lazy(f"{H}.approvals:on_click"), Role.APPROVER),
        ActionRoute("approval.reject", lazy(f"{H}.approvals:on_click"), Role.APPROVER),
        ActionRoute("approval.reason", lazy(f"{H}.approvals:on_click"), Role.APPROVER),
        ActionRoute("approval.undo", lazy(f"{H}.approvals:on_click"), Role.OPERATOR),
        # the crew (issue 7): the plan card's "create as paused drafts"
        ActionRoute("plan.", lazy("bot.core.handlers.crew_actions:on_plan_action"), Role.OPERATOR),
        ActionRoute(
            "whatsapp.", lazy("bot.core.handlers.phone_link:on_action")
        ),  # WhatsApp channel (issue 6)
        ActionRoute("experiment.", lazy(f"{H}.experiments:on_action"), Role.OPERATOR),  # A/B tests
        # --- issue 15: a second confirmation before a likely typo ---
        ActionRoute("change.", lazy(f"{H}.confirm:on_action"), Role.OPERATOR),
    ],
    fallback=lazy(f"{H}.freeform:answer"),
    fallback_role=freeform_role,  # the crew: analyse/plan/copy need an operator (issue 13)
)
