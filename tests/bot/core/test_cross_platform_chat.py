"""Meta and Google Ads side by side in chat: accounts, reports per platform and in total."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

from ads.demo_account import GOOGLE_DEMO_CUSTOMER_ID, GOOGLE_DEMO_NAME
from ads.sandbox.demo import DEMO_ACCOUNT_ID
from bot.console import ConsoleChat
from storage.models import Role
from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace, link_ad_account
from vocabulary.i18n import Locale

PT = Locale("pt-BR")
GOOGLE = f"act_{GOOGLE_DEMO_CUSTOMER_ID}"  # the customer's record inside the shared sandbox


def run(rt, *lines: str) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    ConsoleChat(rt, user="ana", out=out).run_script(lines)
    return out.getvalue()


def _week(sandbox):  # type: ignore[no-untyped-def]
    today = sandbox.now().astimezone(sandbox.state.account(DEMO_ACCOUNT_ID).tz).date()
    return today - timedelta(days=7), today - timedelta(days=1)


def test_accounts_list_both_platforms(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    out = run(rt, "contas")
    assert "Meta act_1000000001" in out
    assert f"{GOOGLE_DEMO_NAME} · Google Ads 813-555-0101 · BRL" in out


def test_the_report_covers_every_platform_and_their_total(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    since, until = _week(sandbox)
    meta = sandbox.state.totals(DEMO_ACCOUNT_ID, since, until)
    google = sandbox.state.totals(GOOGLE, since, until)

    out = run(rt, "relatório dos últimos 7 dias")

    assert f"*Relatório · todas as plataformas · {PT.date(since)}–{PT.date(until)}*" in out
    assert f"Meta (Loja Aurora (demo)): {PT.money(Decimal(meta.spend), 'BRL')} investidos" in out
    assert (
        f"Google Ads ({GOOGLE_DEMO_NAME}): {PT.money(Decimal(google.spend), 'BRL')} investidos"
        in out
    )
    total = Decimal(meta.spend + google.spend)
    assert f"• Investimento: {PT.money(total, 'BRL')} " in out
    assert f"• Receita: {PT.money(Decimal(meta.revenue + google.revenue), 'BRL')} " in out
    # every platform's campaigns rank together, each labelled with its platform
    assert re.search(r"Melhor campanha: .+ \((Meta|Google Ads)\): ROAS", out)


def test_one_platform_on_request(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    since, until = _week(sandbox)
    google = sandbox.state.totals(GOOGLE, since, until)

    out = run(rt, "relatório google")

    assert "todas as plataformas" not in out
    assert f"• Investimento: {PT.money(Decimal(google.spend), 'BRL')} " in out
    assert GOOGLE_DEMO_NAME in out
    meta_only = run(rt, "relatório do meta")
    assert GOOGLE_DEMO_NAME not in meta_only


def test_a_platform_with_no_account_is_named_with_the_fix(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox)  # Meta only
    out = run(rt, "relatório google")
    assert "Nenhuma conta Google Ads ligada a este workspace" in out
    assert "mediabrain accounts add --platform google" in out


def test_changes_to_a_google_campaign_go_through_the_supervisor(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    brand = next(c for c in sandbox.state.campaigns_of(GOOGLE) if c.name == "Search | Marca")

    out = run(rt, "usar conta google", "orçamento search marca 150", "1")
    assert "*Aprovação necessária*" in out  # +25%: the learning-phase warning asks a person
    assert "de R$ 120,00 para R$ 150,00" in out
    assert "✔️ Feito na conta Google Ads" in out
    assert brand.daily_budget == 15000  # R$ 150,00 on the Google side of the shared world

    out = run(rt, "usar conta google", "pausar search marca", "1")
    assert "Já foi alterado 1x nas últimas 24 h" in out  # the policy sees Google's history too
    assert "✔️ Feito na conta Google Ads" in out
    assert sandbox.state.campaign(brand.id).status == "PAUSED"


def _chat_as(rt, user: str, *lines: str) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    ConsoleChat(rt, user=user, out=out).run_script(lines)
    return out.getvalue()


def test_an_admin_links_a_google_ads_account_from_chat(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox)  # Meta only
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        add_user(session, workspace, role=Role.VIEWER, name="dani", console_name="dani")

    refused = _chat_as(rt, "dani", "vincular google 813-555-0101")
    assert "Google Ads" not in _chat_as(rt, "dani", "contas")
    assert "isso precisa do papel de administrador" in refused and "Pronto" not in refused

    typo = run(rt, "vincular google 813-555")
    assert "Esse id não parece de uma conta Google Ads" in typo
    stranger = run(rt, "vincular google 111-222-3333")
    assert "Google Ads não deixou ligar 111-222-3333" in stranger

    done = run(rt, "vincular google 813-555-0101")
    assert (
        "Pronto: a conta Google Ads 813-555-0101 (Loja Aurora Google (demo), BRL) está ligada"
        in done
    )
    assert "já está ligada" in run(rt, "vincular google 8135550101")
    assert "Google Ads 813-555-0101" in run(rt, "contas")
    assert "todas as plataformas" in run(rt, "relatório de ontem")


def test_a_revoked_google_grant_stops_the_account_and_says_so(make_runtime, sandbox) -> None:
    import json

    from storage.crypto import TokenCipher
    from storage.models import AdAccount

    rt = make_runtime(sandbox=sandbox)
    own = json.dumps({"refresh_token": "1//workspace-grant"})
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        link_ad_account(
            session,
            workspace.id,
            GOOGLE_DEMO_CUSTOMER_ID,
            platform="google",
            name=GOOGLE_DEMO_NAME,
            encrypted_token=TokenCipher(rt.settings.fernet_key).encrypt(own),
        )
    assert GOOGLE_DEMO_NAME in run(rt, "relatório google")  # the workspace's own grant works

    rt.google_sandbox().authority.revoke("1//workspace-grant")  # revoked in the Google account
    out = run(rt, "relatório google de ontem")
    assert "O acesso à conta de anúncios expirou ou foi revogado" in out
    with rt.db.session() as session:
        account = session.query(AdAccount).filter_by(platform="google").one()
        assert account.token_status == "invalid"
