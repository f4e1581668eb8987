"""Reply → Block Kit: what a Slack user sees, within the limits Slack enforces."""

from __future__ import annotations

from bot.slack.blocks import action_name, fallback_text, figure_text, render
from tests.bot.slack.fake_slack import check_blocks
from vocabulary.inbound import Action
from vocabulary.replies import Button, KeyFigure, Reply, Table


def test_a_report_has_header_figures_with_change_sections_and_context() -> None:
    reply = Reply(
        "*Relatório 14/11–20/11*\n• Investimento: R$ 1.234,56 (+12,3%)\n_Conta Loja · BRL_",
        kind="report",
        title="Relatório 14/11–20/11",
        figures=(
            KeyFigure("Investimento", "R$ 1.234,56", "+12,3%", "up", None),
            KeyFigure("ROAS", "3,42x", "+5,0%", "up", True),
            KeyFigure("CPA", "R$ 45,10", "+8,0%", "up", False),
            KeyFigure("CTR", "1,20%", "−2,0%", "down", False),
            KeyFigure("Cliques", "980"),
        ),
        sections=(("Melhor", "Remarketing: ROAS 5,1x"), ("Pior", "Prospecção <BR> & cia")),
        context="Conta Loja · 14/11–20/11 vs 07/11–13/11 · BRL",
    )
    blocks = render(reply)
    assert check_blocks(blocks) is None
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Relatório 14/11–20/11", "emoji": True},
    }
    fields = [field["text"] for field in blocks[1]["fields"]]
    assert fields == [
        "*Investimento*\nR$ 1.234,56\n▲ +12,3%",
        "*ROAS*\n3,42x\n▲ +5,0% :large_green_circle:",
        "*CPA*\nR$ 45,10\n▲ +8,0% :red_circle:",
        "*CTR*\n1,20%\n▼ −2,0% :red_circle:",
        "*Cliques*\n980",
    ]
    assert blocks[2]["text"]["text"] == "*Melhor*\nRemarketing: ROAS 5,1x"
    assert blocks[3]["text"]["text"] == "*Pior*\nProspecção &lt;BR&gt; &amp; cia"
    assert blocks[-1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Conta Loja · 14/11–20/11 vs 07/11–13/11 · BRL"}],
    }
    # the structured parts say it all: the plain text is only the notification fallback
    assert not any("Investimento: R$" in str(block) for block in blocks)
    assert fallback_text(reply).startswith("*Relatório 14/11–20/11*")


def test_an_approval_card_has_its_text_and_buttons_with_a_confirm_dialog() -> None:
    reply = Reply(
        "Pausar *Black Friday*? Gasto de hoje: R$ 320,00.",
        kind="approval",
        title="Aprovação necessária",
        buttons=(
            Button("Aprovar", Action("approval.approve", "17"), "primary", confirm="Pausar agora?"),
            Button("Rejeitar", Action("approval.reject", "17"), "danger"),
        ),
        key="approval:17",
    )
    blocks = render(reply, "en")
    assert check_blocks(blocks) is None
    assert blocks[1]["text"]["text"] == "Pausar *Black Friday*? Gasto de hoje: R$ 320,00."
    approve, reject = blocks[2]["elements"]
    assert approve["action_id"] == "approval.approve" and approve["value"] == "17"
    assert approve["style"] == "primary"
    assert approve["confirm"] == {
        "title": {"type": "plain_text", "text": "Are you sure?", "emoji": True},
        "text": {"type": "mrkdwn", "text": "Pausar agora?"},
        "confirm": {"type": "plain_text", "text": "Yes, go ahead", "emoji": True},
        "deny": {"type": "plain_text", "text": "Cancel", "emoji": True},
        "style": "primary",
    }
    assert reject["action_id"] == "approval.reject" and "confirm" not in reject


def test_repeated_action_names_get_unique_ids_that_map_back() -> None:
    reply = Reply(
        "Qual campanha?",
        buttons=tuple(Button(f"Opção {i}", Action("command", f"pausar {i}")) for i in range(3)),
    )
    elements = render(reply)[-1]["elements"]
    ids = [element["action_id"] for element in elements]
    assert ids == ["command|0", "command|1", "command|2"]
    assert {action_name(action_id) for action_id in ids} == {"command"}
    assert action_name("approval.approve") == "approval.approve"


def test_big_replies_stay_within_slack_limits() -> None:
    rows = tuple((str(i), f"Campanha {i} " + "x" * 40, "Ativa", "R$ 100,00") for i in range(200))
    reply = Reply(
        "\n".join(f"linha {i} " + "y" * 80 for i in range(200)),
        title="T" * 400,
        table=Table(("#", "Nome", "Status", "Orçamento"), rows),
        figures=tuple(KeyFigure(f"M{i}", str(i)) for i in range(23)),
        buttons=tuple(Button("B" * 100, Action(f"command.{i}", "v" * 3000)) for i in range(30)),
        context="c",
    )
    blocks = render(reply)
    assert check_blocks(blocks) is None
    assert blocks[0]["text"]["text"].endswith("…") and len(blocks[0]["text"]["text"]) == 150
    assert [len(b["fields"]) for b in blocks if "fields" in b] == [10, 10, 3]
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [len(b["elements"]) for b in actions] == [25, 5]  # all 30 buttons, in two blocks
    assert blocks[-1]["type"] == "context"


def test_a_table_is_aligned_monospace() -> None:
    reply = Reply(
        "lista",
        table=Table(
            ("#", "Nome", "ROAS"), (("1", "Black Friday", "3,10x"), ("2", "Remarketing", "5,20x"))
        ),
    )
    (block,) = render(reply)
    assert block["text"]["text"] == (
        "```\n#  Nome          ROAS\n1  Black Friday  3,10x\n2  Remarketing   5,20x\n```"
    )


def test_plain_messages_errors_and_progress() -> None:
    assert render(Reply("Oi <tudo> & bem"))[0]["text"]["text"] == "Oi &lt;tudo&gt; &amp; bem"
    assert render(Reply("Fila fora", kind="error"))[0]["text"]["text"] == ":warning: Fila fora"
    progress = Reply("Analisando campanhas (2/4)…", kind="progress", key="run:9")
    assert (
        render(progress)[0]["text"]["text"]
        == ":hourglass_flowing_sand: Analisando campanhas (2/4)…"
    )
    assert (
        figure_text(KeyFigure("Gasto", "R$ 0,00", "±0,0%", "flat")) == "*Gasto*\nR$ 0,00\n▬ ±0,0%"
    )


def test_cards_keep_their_text_but_not_the_line_that_repeats_the_figures() -> None:
    figures = (KeyFigure("Gasto 7d", "R$ 320,00"), KeyFigure("Orçamento", "R$ 50,00"))
    card = Reply(
        "*Aprovação necessária*\nPausar a campanha “Black Friday”\n"
        "Gasto 7d: R$ 320,00 · Orçamento: R$ 50,00\nExpira às 18:00",
        kind="approval",
        title="Aprovação necessária",
        figures=figures,
    )
    blocks = render(card)
    assert blocks[1]["text"]["text"] == "Pausar a campanha “Black Friday”\nExpira às 18:00"
    assert [f["text"] for f in blocks[2]["fields"]] == [
        "*Gasto 7d*\nR$ 320,00",
        "*Orçamento*\nR$ 50,00",
    ]
    denied = Reply(
        "*Bloqueado*\nAcima do limite mensal.", kind="error", title="Bloqueado", figures=figures
    )
    assert render(denied)[1]["text"]["text"] == ":warning: Acima do limite mensal."
