"""A platform's own monthly limit (issue 18): set in chat, held by the supervisor leg by leg,
and the platform's figures only (Meta's changes never answer for Google's limit)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

from ads.demo_account import GOOGLE_DEMO_CUSTOMER_ID
from analytics.history import spend_between
from analytics.sync import sync_account
from bot.console import ConsoleChat
from storage.models import AdAccount
from storage.repositories import DEFAULT_WORKSPACE, ensure_workspace, workspace_settings
from supervisor.platform_limits import PlatformMonth, platform_warning
from supervisor.policy import PolicyContext
from vocabulary.i18n import Locale
from vocabulary.platform_limits import platform_limits

GOOGLE = f"act_{GOOGLE_DEMO_CUSTOMER_ID}"


def run(rt, *lines: str) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    ConsoleChat(rt, user="ana", out=out).run_script(lines)
    return out.getvalue()


def budget(sandbox, name: str) -> int:  # type: ignore[no-untyped-def]
    return int(next(c for c in sandbox.state.campaigns.values() if c.name == name).daily_budget)


def limits(rt) -> dict[str, Decimal]:  # type: ignore[no-untyped-def]
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        return platform_limits(workspace_settings(session, workspace.id))


def test_a_raise_past_the_platforms_own_limit_waits_for_a_person(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    out = run(rt, "usar conta google", "orçamento search marca 125")
    assert "✔️ Feito na conta Google Ads" in out  # +4%, no limit: it runs at once
    assert budget(sandbox, "Search | Marca") == 12500

    out = run(rt, "limite mensal google R$ 1.000")
    assert "Pronto: Limite mensal do Google Ads agora é R$ 1.000,00." in out
    assert limits(rt) == {"google": Decimal(100000)}  # minor units; Meta has none
    assert "Limite mensal do Google Ads: R$ 1.000,00." in run(rt, "alertas")

    out = run(rt, "usar conta google", "orçamento search marca 130")
    assert "*Aprovação necessária*" in out
    assert "acima do limite mensal do Google Ads de R$ 1.000,00" in out
    assert budget(sandbox, "Search | Marca") == 12500  # nothing ran by itself
    out = run(rt, "usar conta google", "orçamento search marca 100")  # (changed today: a card)
    assert "limite mensal do Google Ads" not in out  # a cut never answers to the limit

    # Meta's campaigns answer to the limit across platforms, not to Google's own.
    out = run(rt, "usar conta meta", "orçamento remarketing 126")
    assert "limite mensal do Google Ads" not in out

    run(rt, "limite mensal google nenhum")
    assert limits(rt) == {}


def test_the_warning_adds_the_platforms_other_accounts() -> None:
    now = datetime(2026, 11, 20, 18, tzinfo=UTC)
    ctx = PolicyContext(
        now=now,
        currency="BRL",
        month_spend=Decimal(300_000),  # this account: R$ 3.000 so far, R$ 200/day
        account_spend_7d=Decimal(140_000),
        days_left_in_month=10,
    )
    alone = PlatformMonth("google", Decimal(600_000))
    assert platform_warning(alone, ctx, Decimal(5_000)) is None  # 3.000 + 10 × (200 + 50) = 5.500
    with_peer = PlatformMonth("google", Decimal(600_000), Decimal(50_000), Decimal(5_000))
    warning = platform_warning(with_peer, ctx, Decimal(5_000))  # + 500 + 10 × 50 = 6.500
    assert warning is not None
    assert warning.render(Locale("pt-BR"), "BRL") == (
        "A projeção do mês no Google Ads iria a R$ 6.500,00, acima do limite mensal do "
        "Google Ads de R$ 6.000,00 (gasto no Google Ads até agora: R$ 3.500,00)."
    )
    assert platform_warning(with_peer, ctx, Decimal(-5_000)) is None  # a cut: never


def test_the_limit_across_platforms_counts_every_platforms_month(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    with rt.db.session() as session:  # the half-hourly sync has run: the history has both
        accounts = [a.id for a in session.query(AdAccount)]
    for account in accounts:
        sync_account(rt, account)
    # R$ 40.000: Google's month alone stays under it; with Meta's it does not.
    out = run(rt, "limite mensal 40000", "usar conta google", "orçamento search marca 125")
    assert "*Aprovação necessária*" in out
    assert "acima do limite mensal de R$ 40.000,00" in out
    assert budget(sandbox, "Search | Marca") == 12000


def test_a_pause_is_fast_tracked_when_the_workspace_is_past_its_limit_across_platforms(
    make_runtime, sandbox
) -> None:
    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    with rt.db.session() as session:
        accounts = {a.platform: a for a in session.query(AdAccount)}
        for account in accounts.values():
            session.expunge(account)
    for account in accounts.values():
        sync_account(rt, account.id)
    today = rt.now().date()
    with rt.db.session() as session:
        google_month = spend_between(session, accounts["google"].id, today.replace(day=1), today)
    # The limit sits above Google's month alone: only with Meta's is the workspace past it.
    limit = (google_month + 100_00) // 100
    out = run(rt, f"limite mensal {limit}", "usar conta google", "pausar search marca")
    assert "Via rápida" in out
    assert next(
        c for c in sandbox.state.campaigns.values() if c.name == "Search | Marca"
    ).status == ("PAUSED")
