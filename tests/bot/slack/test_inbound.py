"""Slack payloads → Inbound: commands, mentions, DMs, threads and clicks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest

from bot.slack.inbound import clean_text, command_text, from_action, from_command, from_event
from tests.bot.slack import payloads
from vocabulary.inbound import Action, Channel, ReplyHints

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("", "help"),
        ("help", "help"),
        ("ajuda", "help"),
        ("report", "report"),
        ("report last 7 days", "report last 7 days"),
        ("relatório ontem", "relatório ontem"),
        ("campaigns", "campaigns"),
        ("pause Black Friday", "pause Black Friday"),
        ("resume 2", "resume 2"),
        ("budget Remarketing 150", "budget Remarketing 150"),
        ("alerts", "alerts"),
        ("history", "history"),
        ("ask why did CPA go up yesterday?", "why did CPA go up yesterday?"),
        ("perguntar o que fazer com o orçamento", "o que fazer com o orçamento"),
        ("ask", "help"),
    ],
)
def test_ads_subcommands_become_text_for_the_core(typed: str, text: str) -> None:
    assert command_text(typed) == text


def test_slack_markup_is_turned_back_into_what_the_user_typed() -> None:
    assert clean_text("see <https://x.io/a|the doc> in <#C1|midia> &amp; <!here>") == (
        "see the doc in #midia & @here"
    )
    assert clean_text("budget &lt;Remarketing&gt; 150") == "budget <Remarketing> 150"


def _form(payload: tuple[str, str]) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(payload[0]).items()}


def test_a_slash_command_keeps_its_response_url_and_a_stable_event_id() -> None:
    form = _form(
        payloads.slash_command("report last 7 days", response_url="http://127.0.0.1:9/r/1")
    )
    inbound = from_command(form, NOW)
    assert inbound.channel is Channel.SLACK
    assert inbound.text == "report last 7 days"
    assert inbound.event_id == f"command:{form['trigger_id']}"
    assert (inbound.chat_id, inbound.user_id, inbound.team_id) == ("C0001", "U0ANA", "T0001")
    assert inbound.thread_id == ""
    assert inbound.reply_hints == ReplyHints(
        via="command",
        command="/ads report last 7 days",
        response_url="http://127.0.0.1:9/r/1",
    )
    assert from_command(form, NOW).event_id == inbound.event_id


def test_a_mention_starts_a_thread_and_a_reply_in_a_thread_continues_it() -> None:
    body = json.loads(payloads.app_mention("como estão as campanhas?", event_id="Ev1")[0])
    inbound = from_event(body, NOW)
    assert inbound is not None
    assert inbound.text == "como estão as campanhas?"
    assert inbound.event_id == "Ev1"
    assert inbound.thread_id == body["event"]["ts"]  # the answer goes into a thread of the mention
    body = json.loads(payloads.app_mention("e ontem?", thread_ts="1700000000.000100")[0])
    assert from_event(body, NOW).thread_id == "1700000000.000100"  # type: ignore[union-attr]


def test_dms_are_one_conversation_and_other_events_are_ignored() -> None:
    body = json.loads(payloads.direct_message("relatório")[0])
    inbound = from_event(body, NOW)
    assert inbound is not None and inbound.thread_id == "" and inbound.chat_id == "D0ANA"
    for change in (
        {"bot_id": "B1"},
        {"subtype": "message_changed"},
        {"channel_type": "channel"},
        {"type": "reaction_added"},
    ):
        ignored = json.loads(payloads.direct_message("x")[0])
        ignored["event"].update(change)
        assert from_event(ignored, NOW) is None


def test_a_click_carries_the_action_the_message_ref_and_the_response_url() -> None:
    message = {"channel": "C0001", "ts": "1700000001.000001", "thread_ts": "1700000000.000100"}
    form = _form(
        payloads.block_action(
            "approval.approve", "17", message=message, response_url="http://127.0.0.1:9/r/2"
        )
    )
    body = json.loads(form["payload"])
    inbound = from_action(body, NOW)
    assert inbound is not None
    assert inbound.action == Action("approval.approve", "17")
    assert inbound.text == ""
    assert inbound.thread_id == "1700000000.000100"
    assert inbound.event_id == f"action:{body['trigger_id']}"
    assert inbound.reply_hints == ReplyHints(
        via="action",
        message_ref="C0001:1700000001.000001",
        response_url="http://127.0.0.1:9/r/2",
    )
    body["actions"][0]["action_id"] = "command|1"
    assert from_action(body, NOW).action == Action("command", "17")  # type: ignore[union-attr]
