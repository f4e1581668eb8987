"""Issue 15 as a new user met it on the console: undo as a restoration, typo cuts confirmed,
"motivo:" on the right decision, approvals reachable by number."""

from __future__ import annotations

import io

from sqlalchemy import select

from bot.console import ConsoleChat
from storage.models import Proposal
from tests.support.console import say_accepted
from vocabulary.inbound import Action

REMARKETING_ADSET = "120210000000000002"  # "Remarketing 7d › Visitantes 7d + Carrinho", R$ 250
CATALOGUE = "120210000000000016"  # "Catálogo Dinâmico - DPA Advantage+", R$ 220


def chat(rt, user: str = "ana") -> tuple[ConsoleChat, io.StringIO]:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    return ConsoleChat(rt, user=user, out=out), out


def typed(console: ConsoleChat, out: io.StringIO, *lines: str) -> str:
    """What the console printed for ``lines``, typed one by one."""
    mark = len(out.getvalue())
    console.run_script(list(lines))
    return out.getvalue()[mark:]


def proposals(rt) -> list[Proposal]:  # type: ignore[no-untyped-def]
    with rt.db.session() as session:
        rows = list(session.scalars(select(Proposal).order_by(Proposal.created_at)))
        session.expunge_all()
    return rows


def test_a_typo_cut_is_confirmed_twice_and_undo_puts_the_budget_back(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    asked = typed(console, out, "orçamento remarketing 1,5")  # meant 150
    assert "R$ 250,00 → R$ 1,50 (−99,4%)" in asked
    assert "pode ser um erro de digitação. Confirma?" in asked
    assert "[1] Sim, R$ 1,50" in asked and "[2] Cancelar" in asked
    assert proposals(rt) == []  # nothing proposed before the second yes

    card = typed(console, out, "1")
    assert "Aprovação necessária" in card
    assert "O novo orçamento (R$ 1,50) é menor que 10% do atual (R$ 250,00)" in card

    done = typed(console, out, "1")  # [1] Aprovar
    assert "✔️ Feito na conta Meta" in done and "[1] Desfazer" in done
    assert sandbox.state.adset(REMARKETING_ADSET).daily_budget == 150

    undone = typed(console, out, "1")  # [1] Desfazer: +16.566,7% but a restoration
    assert "de R$ 1,50 para R$ 250,00" in undone and "✔️ Feito na conta Meta" in undone
    assert "Não posso" not in undone
    assert sandbox.state.adset(REMARKETING_ADSET).daily_budget == 25000


def test_a_cancelled_typo_changes_nothing(make_runtime, sqlite_url: str, sandbox) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    typed(console, out, "budget catálogo 5")
    assert "Cancelado: nada foi mudado." in typed(console, out, "2")
    assert proposals(rt) == []
    assert sandbox.state.campaign(CATALOGUE).daily_budget == 22000


def test_undo_after_someone_changed_the_target_says_so(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    typed(console, out, "orçamento catálogo 200", "1")  # approved and executed
    typed(console, out, "orçamento catálogo 210", "1")  # someone changes it again
    assert sandbox.state.campaign(CATALOGUE).daily_budget == 21000
    first = proposals(rt)[0]
    mark = len(out.getvalue())
    say_accepted(rt, action=Action("approval.undo", first.id))  # the first card's Undo
    refused = out.getvalue()[mark:]
    assert "o alvo mudou desde aquela mudança (agora R$ 210,00)" in refused
    assert sandbox.state.campaign(CATALOGUE).daily_budget == 21000


def test_a_reason_goes_to_the_decision_made_last_though_the_clock_stands_still(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    typed(console, out, "pausar a campanha promo relâmpago", "orçamento catálogo 200")
    first, second = proposals(rt)
    say_accepted(rt, action=Action("approval.reject", first.id))
    say_accepted(rt, action=Action("approval.reject", second.id))  # same frozen sandbox minute
    after = proposals(rt)
    assert after[0].decided_at == after[1].decided_at

    noted = typed(console, out, "motivo: catálogo fica como está")
    assert "Anotado: “catálogo fica como está” (mudar o orçamento diário da campanha" in noted
    assert "Catálogo Dinâmico" in noted and "Promo" not in noted


def test_five_cards_each_have_their_own_numbers(make_runtime, sqlite_url: str, sandbox) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    names = ["promo relâmpago", "advantage shopping", "lookalike", "ugc", "coleção verão"]
    for name in names:  # five pending cards, pushed while nobody types (as the digest does)
        say_accepted(rt, f"pausar {name}")
    shown = out.getvalue()
    assert [shown.count(f"[{n}] Aprovar") for n in (1, 3, 5, 7, 9)] == [1, 1, 1, 1, 1]
    assert "[4] Rejeitar" in shown

    typed(console, out, "3")  # the second card's Aprovar, not the last card's
    by_target = {p.target_name: p.state for p in proposals(rt)}
    assert by_target["Advantage+ Shopping - Sempre Ativo"] == "executed"
    assert [state for state in by_target.values()].count("pending") == 4


def test_pending_requests_are_reached_by_number_after_a_restart(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    typed(console, out, "pausar promo relâmpago", "pausar ugc", "orçamento catálogo 200")
    typed(console, out, "pausar institucional")  # within policy: runs at once
    institutional = "120210000000000020"
    assert sandbox.state.campaign(institutional).status == "PAUSED"

    console, out = chat(rt)  # a restart: the console remembers no buttons
    listed = typed(console, out, "pendentes")
    assert "*Pedidos esperando decisão (3)*" in listed
    assert "1. pausar a campanha “Promo Relâmpago - Stories” · expira em" in listed
    assert "2. pausar a campanha “Teste Criativos UGC - Abril”" in listed
    assert "3. mudar o orçamento diário da campanha “Catálogo Dinâmico" in listed
    assert "*Mudanças que ainda dá para desfazer (1)*" in listed
    assert "4. pausar a campanha “Institucional Vídeo - Marca Aurora” · desfazer até" in listed

    assert "✔️ Feito na conta Meta" in typed(console, out, "aprovar 2")
    assert sandbox.state.campaign("120210000000000057").status == "PAUSED"
    assert "❌ Rejeitado por ana" in typed(console, out, "rejeitar 1")
    assert sandbox.state.campaign("120210000000000037").status == "ACTIVE"
    typed(console, out, "desfazer 4")
    assert sandbox.state.campaign(institutional).status == "ACTIVE"
    typed(console, out, "approve 3")  # the numbers of the list shown, in English too
    assert sandbox.state.campaign(CATALOGUE).daily_budget == 20000

    english = typed(console, out, "english", "pending")
    assert "*Changes that can still be undone (2)*" in english
    assert "There is no number 9" in typed(console, out, "undo 9")


def test_reports_for_named_months_ranges_and_weeks_and_a_question_when_unclear(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)  # sandbox today: 20/11/2026
    console, out = chat(rt)
    assert "*Relatório · 01/11–20/11*" in typed(console, out, "relatório novembro")
    assert "*Relatório · 01/11–15/11*" in typed(console, out, "relatório de 01/11 a 15/11")
    assert "*Relatório · 18 de nov. de 2026*" in typed(console, out, "relatório anteontem")
    week = typed(console, out, "relatório semana passada")
    assert "Semana passada = a semana de calendário, de segunda 9 de nov. de 2026" in week
    assert "*Relatório · 09/11–15/11*" in week

    asked = typed(console, out, "relatório trimestre passado")
    assert "Não entendi o período em “relatório trimestre passado”" in asked
    assert "*Relatório" not in asked and "[5] Mês passado" in asked
    assert "*Relatório · 01/10–31/10*" in typed(console, out, "5")

    english = typed(console, out, "english", "report last week")
    assert "Last week = the calendar week, from Monday Nov 9, 2026" in english


def test_the_worst_campaign_can_be_one_that_spent_and_sold_nothing(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    import re

    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    for script in (["relatório ontem"], ["margem 40%", "relatório ontem"]):
        report = typed(console, out, *script)
        assert (
            "⚠️ Pior campanha: Prospecção Interesses - Moda Feminina: ROAS 0,00x, CPA —, "
            "gasto R$ 269,88"
        ) in report
    for period in ("relatório últimos 30 dias", "relatório semana passada", "relatório novembro"):
        report = typed(console, out, period)
        account = re.search(r"• ROAS: (\d+,\d+)x", report)
        worst = re.search(r"Pior campanha: .*?: ROAS (\d+,\d+)x", report)
        assert account and worst
        assert float(worst.group(1).replace(",", ".")) <= float(account.group(1).replace(",", "."))


def test_a_signed_number_asks_money_or_percent(make_runtime, sqlite_url: str, sandbox) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    asked = typed(console, out, "orçamento remarketing -50")
    assert "Diminuir o orçamento de “remarketing” em R$ 50,00 ou em 50%?" in asked
    assert "[1] Diminuir R$ 50,00" in asked and "[2] Diminuir 50%" in asked
    assert proposals(rt) == []
    assert "de R$ 250,00 para R$ 125,00" in typed(console, out, "2")
    asked = typed(console, out, "budget catálogo +20")
    assert "Aumentar o orçamento de “catálogo” em R$ 20,00 ou em 20%?" in asked
    assert "de R$ 220,00 para R$ 240,00" in typed(console, out, "1")
    # Said as money: no question.
    assert "de R$ 220,00 para R$ 200,00" in typed(console, out, "orçamento catálogo -r$ 20")


def test_commands_without_a_target_ask_which_and_bad_limits_say_why(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    asked = typed(console, out, "pausar")
    assert "Pausar qual campanha?" in asked and "10. Tráfego - Blog de Estilo" in asked
    assert "Black Friday" not in asked  # paused already: not offered
    asked = typed(console, out, "ativar")
    assert "Ativar qual campanha?\n1. Black Friday - Conversão" in asked
    assert "[1] Black Friday - Conversão" in asked
    assert "Ação: ativar a campanha “Black Friday - Conversão”" in typed(console, out, "1")
    asked = typed(console, out, "orçamento")
    assert "Mudar o orçamento de qual campanha?" in asked and "“orçamento 1 150”" in asked
    assert "Change the budget of which campaign?" in typed(console, out, "english", "budget")

    refused = typed(console, out, "português", "limite mensal -100")
    assert "“-100” não é um limite mensal válido" in refused and "Nada foi mudado." in refused
    assert "Não entendi" not in refused


def test_deleting_a_campaign_archives_it_after_an_approval_and_cannot_be_undone(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    blog = "120210000000000053"  # "Tráfego - Blog de Estilo": small, low CTR, yet approval
    card = typed(console, out, "excluir campanha tráfego blog")
    assert "Aprovação necessária" in card
    assert "Ação: excluir a campanha “Tráfego - Blog de Estilo”" in card
    assert "Não dá para desfazer: a campanha é arquivada na Meta" in card
    assert sandbox.state.campaign(blog).status == "ACTIVE"
    done = typed(console, out, "1")
    assert "✔️ Feito na conta Meta" in done and "Desfazer" not in done
    assert sandbox.state.campaign(blog).status == "ARCHIVED"

    english = typed(console, out, "english", "delete the ugc campaign")
    assert "Action: delete campaign “Teste Criativos UGC - Abril”" in english
    assert "This cannot be undone" in english and "[1] Approve" in english


def test_that_campaign_is_the_one_just_discussed(make_runtime, sqlite_url: str, sandbox) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    assert "Ainda não falamos de nenhuma campanha" in typed(console, out, "pausa essa campanha")
    typed(console, out, "relatório da campanha ugc")
    card = typed(console, out, "pausa essa campanha")
    assert "Ação: pausar a campanha “Teste Criativos UGC - Abril”" in card
    typed(console, out, "orçamento catálogo 200")
    assert "Catálogo Dinâmico" in typed(console, out, "pause this campaign")


def test_a_month_in_a_campaigns_name_is_not_read_as_a_period(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    report = typed(console, out, "relatório da campanha ugc abril")
    assert "*Relatório · Teste Criativos UGC - Abril · 13/11–19/11*" in report  # last 7 days
    report = typed(console, out, "relatório da campanha ugc outubro")
    assert "*Relatório · Teste Criativos UGC - Abril · 01/10–31/10*" in report


def test_a_reason_stays_in_the_conversation_where_the_decision_was_made(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from bot.core.conversation import handle_turn
    from tests.support.console import console_inbound

    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    typed(console, out, "pausar a campanha promo relâmpago", "orçamento catálogo 200")
    promo, catalogue = proposals(rt)

    def in_chat(chat_id: str, text: str = "", action: Action | None = None) -> str:
        inbound = replace(console_inbound(text, action=action), chat_id=chat_id)
        return "\n".join(reply.text for reply in handle_turn(rt, inbound))

    in_chat("console:ana", action=Action("approval.reject", promo.id))
    in_chat("console:ana-laptop", action=Action("approval.reject", catalogue.id))  # later
    noted = in_chat("console:ana", "motivo: promo segue no ar")
    assert "Anotado: “promo segue no ar” (pausar a campanha “Promo Relâmpago" in noted
