"""Smart alerts pushed to Slack and WhatsApp (fake servers on loopback): inject a CPM shock in
the sandbox, advance the clock; Slack gets one message with the chart (the budget cut's approval
card below it), edited in place when it recovers; WhatsApp (window closed) gets the alert
template and the approval template, then a short resolution."""

from __future__ import annotations

from typing import Any

DEMO = "act_1000000001"


def test_a_cpm_shock_reaches_slack_and_whatsapp_and_resolves(make_pushed: Any) -> None:
    pushed = make_pushed(channel="C0ALERTS", number="5511977776666")
    slack = pushed.slack
    pushed.hourly(4 * 24)
    assert not slack.calls_to("chat.postMessage")  # four quiet days
    pushed.sandbox.inject_incident(DEMO, "cpm_shock", hours=4, magnitude=2.0)
    pushed.hourly(2)

    post, card = pushed.posts()  # the alert, then the budget cut's approval card below it
    assert "CPM em alta" in post.params["text"] and "/dia em jogo" in post.params["text"]
    assert card.params["text"].startswith("*Aprovação necessária*")
    assert slack.calls_to("files.completeUploadExternal"), "the chart is uploaded"
    template, approval = pushed.templates()
    assert template["name"] == "budget_alert"  # the approved generic alert template
    assert approval["name"] == "approval_request"
    [text] = [p["text"] for c in template["components"] for p in c["parameters"]]
    assert "CPM em alta" in text

    pushed.hourly(8)  # over after 4 hours; resolved after two quiet runs
    assert len(slack.calls_to("chat.postMessage")) == 2  # no new message in Slack...
    [edit] = [e for e in slack.calls_to("chat.update") if "CPM" in e.params["text"]]
    assert "Resolvido" in edit.params["text"]  # ...the alert itself says it is over
    # WhatsApp cannot edit: a second, short message says it recovered.
    templates = pushed.templates()
    assert len(templates) == 3
    assert "Resolvido" in templates[-1]["components"][0]["parameters"][0]["text"]
