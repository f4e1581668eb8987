"""Several ad accounts in one workspace: each chat chooses the one it works on."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from bot.console import ConsoleChat
from storage.repositories import DEFAULT_WORKSPACE, ensure_workspace, link_ad_account
from vocabulary.i18n import Locale

PT = Locale("pt-BR")
GOODS = "act_1000000002"


def run(rt, user: str, *lines: str) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    ConsoleChat(rt, user=user, out=out).run_script(lines)
    return out.getvalue()


def test_a_chat_switches_account_and_reports_follow(make_runtime, sandbox) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox)
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        link_ad_account(
            session,
            workspace.id,
            GOODS,
            name="Aurora Goods US (demo)",
            currency="USD",
            timezone="America/New_York",
        )

    listed = run(rt, "ana", "contas")
    assert "1. Loja Aurora (demo) · Meta act_1000000001 · BRL ✅" in listed
    assert "2. Aurora Goods US (demo) · Meta act_1000000002 · USD" in listed

    out = run(rt, "ana", "usar conta goods", "relatório de ontem")
    assert "agora trabalho com a conta Aurora Goods US (demo) (USD)" in out
    yesterday = sandbox.state.today(GOODS) - timedelta(days=1)
    truth = sandbox.state.totals(GOODS, yesterday, yesterday)
    assert f"• Investimento: {PT.money(Decimal(truth.spend), 'USD')} " in out
    assert "Aurora Goods US (demo) · " in out

    other = run(rt, "bia", "relatório de ontem")  # another chat still works on the first one
    assert "Loja Aurora (demo) · " in other and "USD" not in other

    assert "Não encontrei a conta “xyz”" in run(rt, "ana", "usar conta xyz")
