"""End to end: signed webhooks → real Redis → a real ``mediabrain worker`` → the fake Cloud API.

The worker is a subprocess configured only through MEDIABRAIN_* variables:
the Meta sandbox for ad data and the fake Cloud API for WhatsApp.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from ads.base import Period
from analytics.report import fetch_report
from mediabrain.web import create_app
from storage.repositories import DEFAULT_WORKSPACE, ad_accounts, get_workspace
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.conftest import ANA, BRUNO, STRANGER, link, whatsapp_settings
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
from tests.support.waiting import eventually
from tests.support.workers import WorkerProcess, start_worker
from vocabulary.i18n import Locale
from vocabulary.periods import DEFAULT_PERIOD, resolve_period
from vocabulary.runtime import Runtime

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.postgres]
URL = "/whatsapp/webhook"


@pytest.fixture
def stack(
    wa_runtime, sandbox, fake_cloud, pg_url, redis_url, tmp_path: Path
) -> Iterator[tuple[Runtime, TestClient, WorkerProcess]]:  # type: ignore[no-untyped-def]
    rt = wa_runtime(sandbox=sandbox, database_url=pg_url, redis_url=redis_url)
    settings = {
        "database_url": pg_url,
        "redis_url": redis_url,
        "data_dir": tmp_path / "worker",
        "sandbox": "on",
        "meta_graph_url": sandbox.url,
        "log_level": "INFO",
        **whatsapp_settings(fake_cloud),
    }
    worker = start_worker(settings, tmp_path / "worker.log", drop=())
    try:
        yield rt, TestClient(create_app(rt.settings, rt)), worker
    finally:
        worker.stop(grace=1)  # idle: no job to finish, nothing to wait for
        if worker.crashed:
            print(worker.output())


def _post(client: TestClient, payload: dict) -> None:  # type: ignore[type-arg]
    body, headers = payloads.signed(payload)
    assert client.post(URL, content=body, headers=headers).status_code == 200


def _expected_spend(rt: Runtime) -> str:
    """The last-7-days spend straight from the sandbox, formatted as the bot formats it."""
    with rt.db.session() as session:
        workspace = get_workspace(session, DEFAULT_WORKSPACE)
        account = ad_accounts(session, workspace.id)[0]
    today = rt.now().astimezone(ZoneInfo(account.timezone)).date()
    period = Period(*resolve_period(DEFAULT_PERIOD, today))
    report = fetch_report(rt.ads(account), account.external_id, period)
    return Locale("pt-BR").money(report.totals.spend, report.currency)


def test_relatorio_from_a_linked_number_gets_the_sandbox_numbers(
    stack, fake_cloud: FakeCloudAPI
) -> None:
    rt, client, _ = stack
    link(rt, ANA, "approver")
    spend = _expected_spend(rt)

    _post(client, payloads.text(ANA, "relatório"))
    _post(client, payloads.text(STRANGER, "oi, quanto gastei?"))

    sent = fake_cloud.wait_for(lambda s: {m.to for m in s} >= {ANA, STRANGER}, timeout=90)
    [report] = [m for m in sent if m.to == ANA]
    assert report.type == "image"  # the chart, uploaded, with the figures as caption
    assert report.payload["image"]["id"] in {u.id for u in fake_cloud.uploads}
    assert f"*{spend}*" in report.text
    [onboarding] = [m for m in sent if m.to == STRANGER]
    assert "Ainda não conheço este número" in onboarding.text
    assert "R$" not in onboarding.text  # no data for strangers


def test_a_message_answered_outside_the_window_gets_the_report_template(
    stack, fake_cloud: FakeCloudAPI
) -> None:
    """WhatsApp redelivers webhooks for days: a 30-hour-old "relatório" is answered with a template."""
    rt, client, _ = stack
    link(rt, BRUNO, "viewer")
    spend = _expected_spend(rt)

    _post(client, payloads.text(BRUNO, "relatório", timestamp=int(time.time()) - 30 * 3600))

    [template] = fake_cloud.wait_for(lambda s: any(m.to == BRUNO for m in s), timeout=90)
    assert template.type == "template"
    assert template.template["name"] == "daily_report"  # type: ignore[index]
    assert spend in template.text
    assert fake_cloud.uploads == []  # no free-form image outside the window


def test_an_approval_button_click_approves_once(stack, fake_cloud: FakeCloudAPI) -> None:
    from sqlalchemy import func, select

    from storage.models import AuditEntry, InboundEvent, Proposal

    rt, client, worker = stack
    link(rt, ANA, "approver")
    _post(client, payloads.text(ANA, "campanhas"))
    fake_cloud.wait_for(lambda s: len(s) >= 1, timeout=90)
    _post(client, payloads.text(ANA, "orçamento 1 para 600"))  # R$ 400 → 600: +50% needs approval

    sent = fake_cloud.wait_for(lambda s: any(m.buttons for m in s), timeout=90)
    card = next(m for m in sent if m.buttons)
    assert card.type == "interactive" and card.to == ANA
    (approve_title, approve), (reject_title, _) = card.buttons
    assert approve.startswith("approval.approve|") and approve_title == "Aprovar"
    assert reject_title == "Rejeitar"
    proposal_id = approve.split("|", 1)[1]

    click = payloads.button_click(ANA, approve, approve_title, message_id="wamid.CLICK1")
    click["entry"][0]["changes"][0]["value"]["messages"][0]["context"]["id"] = card.id
    _post(client, click)
    _post(client, click)  # WhatsApp redelivers the same click
    _post(client, payloads.button_click(ANA, approve, approve_title))  # a second tap

    def executed_and_all_handled() -> bool:
        with rt.db.session() as session:
            state = session.scalar(select(Proposal.state).where(Proposal.id == proposal_id))
            handled = session.scalar(
                select(func.count()).select_from(InboundEvent).where(InboundEvent.status == "done")
            )
        return state == "executed" and (handled or 0) >= 4

    eventually(
        executed_and_all_handled,
        timeout=90,
        interval=0.2,
        what="the approval to be executed",
        detail=worker.output,
    )
    with rt.db.session() as session:
        approvals = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "proposal.approved")
        )
        clicks = session.scalar(
            select(func.count())
            .select_from(InboundEvent)
            .where(InboundEvent.event_key == "wamid.CLICK1")
        )
    assert (approvals, clicks) == (1, 1)

    with rt.db.session() as session:
        account = ad_accounts(session, get_workspace(session, DEFAULT_WORKSPACE).id)[0]
    budgets = {c.name: c.daily_budget for c in rt.ads(account).list_campaigns(account.external_id)}
    assert budgets["Advantage+ Shopping - Sempre Ativo"] == 60000

    after = fake_cloud.wait_for(
        lambda s: any("já" in m.text.lower() for m in s[len(sent) :]), timeout=30
    )
    assert any("Ana" in m.text or "aprovad" in m.text.lower() for m in after[len(sent) :])


def test_a_burst_is_paced_by_a_scheduled_flush_on_the_worker(
    stack, fake_cloud: FakeCloudAPI
) -> None:
    """Past the per-user burst, replies wait in Redis and the worker's scheduler sends them later."""
    rt, client, _ = stack
    link(rt, ANA, "viewer")

    for _ in range(5):
        _post(client, payloads.text(ANA, "ajuda"))

    sent = fake_cloud.wait_for(lambda s: len(s) >= 5, timeout=120)
    assert all(m.to == ANA for m in sent)
    assert sent[4].at - sent[0].at >= 4.0  # ~6 s per message past the burst of 4, not all at once
