"""End to end: signed Slack requests → web app → real Redis → a real `mediabrain worker` → fake Slack.

The worker is a subprocess with its environment pointing at the fake Slack
Web API and at the Meta sandbox started by the test.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ads.base import Period
from ads.sandbox.demo import DEMO_ACCOUNT_ID
from analytics.report import fetch_report
from mediabrain.web import create_app
from storage.models import AdAccount, Proposal, Role
from storage.repositories import add_user, ensure_workspace
from tests.bot.slack import payloads
from tests.bot.slack.conftest import BOT_TOKEN, SECRET, SlackClient
from tests.bot.slack.fake_slack import FakeSlack
from tests.support.waiting import eventually
from vocabulary.i18n import Locale
from vocabulary.periods import PeriodSpec, resolve_period

pytestmark = pytest.mark.slow


def expected_report(rt):  # type: ignore[no-untyped-def]
    """The sandbox's numbers for the last 7 complete days, read independently by the test."""
    with rt.db.session() as session:
        account = session.query(AdAccount).one()
        session.expunge(account)
    today = rt.now().astimezone(ZoneInfo(account.timezone)).date()
    period = Period(*resolve_period(PeriodSpec("last_n", 7), today))
    return fetch_report(rt.ads(account), account.external_id, period)


def test_ads_report_posts_block_kit_with_the_sandbox_numbers_and_a_chart(
    make_runtime, start_worker, sandbox, fake_slack: FakeSlack, pg_url: str, redis_url: str
) -> None:
    rt = make_runtime(
        sandbox=sandbox,
        database_url=pg_url,
        redis_url=redis_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
    )
    worker = start_worker(
        database_url=pg_url,
        redis_url=redis_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
        meta_graph_url=sandbox.url,
        sandbox="on",
    )
    slack = SlackClient(TestClient(create_app(rt.settings, rt)))
    ack = slack.post(
        payloads.slash_command("report last 7 days", response_url=fake_slack.response_url("r1"))
    )
    assert ack.status_code == 200 and ack.text.startswith("⏳")

    try:
        (post,) = fake_slack.wait_for("chat.postMessage", timeout=60)
        fake_slack.wait_for("files.completeUploadExternal", timeout=30)
    except TimeoutError:
        pytest.fail(f"no answer from the worker:\n{worker.output()[-4000:]}")

    report = expected_report(rt)
    money = Locale("pt-BR").money
    blocks = post.params["blocks"]
    assert post.params["channel"] == "C0001"
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"].startswith("Relatório · ")
    fields = {f["text"].split("\n")[0]: f["text"].split("\n")[1:] for f in blocks[1]["fields"]}
    assert fields["*Investimento*"][0] == money(report.totals.spend, "BRL")
    assert fields["*Receita*"][0] == money(report.totals.revenue, "BRL")
    assert fields["*ROAS*"][0] == Locale("pt-BR").ratio(report.totals.roas)
    assert fields["*Conversões*"][0] == Locale("pt-BR").number(report.totals.conversions)
    assert fields["*Investimento*"][1][0] in "▲▼▬"  # change vs the previous 7 days
    assert report.totals.spend > 0
    headings = [
        b["text"]["text"].split("\n")[0] for b in blocks if b["type"] == "section" and "text" in b
    ]
    assert "*🏆 Melhor campanha*" in headings and "*⚠️ Pior campanha*" in headings
    assert blocks[-1]["type"] == "context" and "BRL" in blocks[-1]["elements"][0]["text"]

    (upload,) = fake_slack.calls_to("upload")
    assert upload.body.startswith(b"\x89PNG")  # matplotlib's chart, uploaded by files_upload_v2
    (done,) = fake_slack.calls_to("files.completeUploadExternal")
    assert done.params["channel_id"] == "C0001"


def test_an_approval_click_pauses_once_and_a_second_click_changes_nothing(
    make_runtime, start_worker, sandbox, fake_slack: FakeSlack, pg_url: str, redis_url: str
) -> None:
    rt = make_runtime(
        sandbox=sandbox,
        database_url=pg_url,
        redis_url=redis_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
    )
    with rt.db.session() as session:
        workspace = ensure_workspace(session)
        add_user(session, workspace, role=Role.OPERATOR, name="Olga", slack_user_id="U0OPS")
        add_user(session, workspace, role=Role.APPROVER, name="Bia", slack_user_id="U0BOSS")
    worker = start_worker(
        database_url=pg_url,
        redis_url=redis_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
        meta_graph_url=sandbox.url,
        sandbox="on",
    )
    slack = SlackClient(TestClient(create_app(rt.settings, rt)))

    def writes() -> int:
        routes = sandbox.stats.snapshot()["by_route"]
        return sum(n for route, n in routes.items() if route.startswith("POST"))

    # an operator asks; the supervisor wants an approval (7-day spend above R$ 1.000)
    ack = slack.post(
        payloads.slash_command(
            "pause Advantage+ Shopping",
            user_id="U0OPS",
            response_url=fake_slack.response_url("ask"),
        )
    )
    assert ack.status_code == 200
    card = eventually(
        fake_slack.last_message_with_buttons,
        what="the approval card",
        timeout=45,
        interval=0.1,
        detail=worker.tail,
    )
    approve, reject = payloads.buttons(card)
    assert (approve["action_id"], reject["action_id"]) == ("approval.approve", "approval.reject")
    assert approve["value"] == reject["value"]  # the proposal id
    assert "confirm" in approve  # pausing stops delivery: Slack asks "are you sure?" first
    assert "Advantage+ Shopping" in card["text"]
    campaign = next(
        c
        for c in sandbox.state.campaigns_of(DEMO_ACCOUNT_ID)
        if c.name.startswith("Advantage+ Shopping")
    )
    assert campaign.status == "ACTIVE" and writes() == 0

    # the approver clicks Approve: the campaign is paused once and the card says who decided
    click = payloads.block_action(
        approve["action_id"],
        approve["value"],
        message=card,
        user_id="U0BOSS",
        user_name="bia",
        response_url=fake_slack.response_url("click-1"),
    )
    assert slack.post(click).status_code == 200
    eventually(
        lambda: sandbox.state.campaign(campaign.id).status == "PAUSED",
        what="the pause on the sandbox",
        timeout=45,
        interval=0.1,
        detail=worker.tail,
    )
    decided = eventually(
        lambda: next(
            (m for m in fake_slack.messages if m["ts"] == card["ts"] and "✔️" in m["text"]), None
        ),
        what="the card updated in place",
        timeout=45,
        interval=0.1,
        detail=worker.tail,
    )
    assert decided["edited"] >= 1 and "Bia" in decided["text"]
    assert (
        not payloads.buttons(decided)
        or payloads.buttons(decided)[0]["action_id"] == "approval.undo"
    )
    assert all(u.params["ts"] == card["ts"] for u in fake_slack.calls_to("chat.update"))
    assert writes() == 1

    # a second click (another trigger id, same card) changes nothing and tells only the clicker
    again = payloads.block_action(
        approve["action_id"],
        approve["value"],
        message=card,
        user_id="U0BOSS",
        user_name="bia",
        response_url=fake_slack.response_url("click-2"),
    )
    assert slack.post(again).status_code == 200
    notice = eventually(
        lambda: [c for c in fake_slack.calls_to("response_url") if c.key == "click-2"],
        what="the 'already decided' notice",
        timeout=45,
        interval=0.1,
        detail=worker.tail,
    )[0]
    assert notice.params["response_type"] == "ephemeral"
    assert "já foi decidido" in notice.params["text"]
    assert writes() == 1 and sandbox.state.campaign(campaign.id).status == "PAUSED"
    with rt.db.session() as session:
        states = session.scalars(select(Proposal.state)).all()
    assert states == ["executed"]
