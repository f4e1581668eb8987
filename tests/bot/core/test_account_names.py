"""Accounts show their own name (issue 15, item 13): learned from the platform, never the
embedded default's "Loja Aurora (demo)" label on an account Meta calls something else."""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import select

from ads.demo_account import DEMO_ACCOUNT_ID, DEMO_ACCOUNT_NAME
from bot.console import ConsoleChat
from jobs.schedules import prime, run_due
from storage.models import AdAccount
from tests.recording import RecordingSender
from tests.support.console import say
from vocabulary.inbound import Channel

OTHER = "Loja Boreal"


def test_the_banner_accounts_reports_and_pushes_use_the_platforms_name(
    make_runtime: Any, sandbox: Any
) -> None:
    sandbox.state.accounts[DEMO_ACCOUNT_ID].name = OTHER  # Meta names this account otherwise
    rt = make_runtime(sandbox=sandbox)
    out = io.StringIO()
    console = ConsoleChat(rt, user="ana", out=out)
    assert console.banner().startswith(f"mediabrain · console (sandbox da Meta, conta {OTHER})")
    console.run_script(["contas", "relatório de ontem"])
    assert DEMO_ACCOUNT_NAME not in out.getvalue()
    assert f"1. {OTHER}" in out.getvalue() and f"_{OTHER} · " in out.getvalue()


def test_the_first_sync_learns_the_name_for_pushes(make_runtime: Any, sandbox: Any) -> None:
    sandbox.state.accounts[DEMO_ACCOUNT_ID].name = OTHER
    rt = make_runtime(sandbox=sandbox)
    say(rt, "oi")  # Ana has talked to us: the daily report finds her chat
    sender = RecordingSender()
    rt.set_sender(Channel.CONSOLE, sender)
    prime(rt)
    sandbox.advance_clock(hours=3)  # 18:00 in São Paulo: the first sync, then the daily report
    run_due(rt)
    reports = [reply for _, reply in sender.sent if reply.kind == "report"]
    assert reports and all(DEMO_ACCOUNT_NAME not in (r.text + (r.context or "")) for r in reports)
    assert any(OTHER in (r.context or "") + r.text for r in reports)
    with rt.db.session() as session:
        assert [a.name for a in session.scalars(select(AdAccount))] == [OTHER]
