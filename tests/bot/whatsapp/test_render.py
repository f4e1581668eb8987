"""Pure rendering: replies in WhatsApp's shapes and limits; window and callback rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.phone_intents import match_link
from bot.whatsapp.callbacks import decode_action, encode_action
from bot.whatsapp.render import (
    Outgoing,
    TemplateNames,
    merge_texts,
    render_reply,
    split_text,
    template_for,
    template_param,
)
from bot.whatsapp.window import needs_template, window_open
from storage.models import Role
from vocabulary.inbound import Action
from vocabulary.parsing import normalize
from vocabulary.replies import Button, Chart, KeyFigure, Reply

NAMES = TemplateNames(
    report="daily_report", alert="budget_alert", approval="approval_request", language="pt_BR"
)
PROPOSAL = "0b6f5f7e-6d0c-4a53-9a55-8a1f0e0c2f11"


def _report() -> Reply:
    figures = (
        KeyFigure("Investimento", "R$ 1.234,56", "+12,3%", "up"),
        KeyFigure("ROAS", "3,42x", "−4,0%", "down", False),
    )
    text = (
        "*Relatório 13/11–19/11*\n"
        "• Investimento: R$ 1.234,56 (+12,3%)\n"
        "• ROAS: 3,42x (−4,0%)\n"
        "Melhor campanha: Black Friday\n"
        "_Loja Aurora · BRL_"
    )
    return Reply(
        text,
        kind="report",
        title="Relatório 13/11–19/11",
        figures=figures,
        data={
            "account": "Loja Aurora",
            "period": "13/11–19/11",
            "spend": "R$ 1.234,56",
            "roas": "3,42x",
            "conversions": "87",
            "cpa": "R$ 14,19",
        },
    )


def _approval() -> Reply:
    return Reply(
        "Aprovação necessária: orçamento de *Black Friday* de R$ 100,00 para R$ 250,00/dia.",
        kind="approval",
        title="Aprovação necessária",
        buttons=(
            Button("Aprovar", Action("approval.approve", PROPOSAL), style="primary"),
            Button(
                "Rejeitar", Action("approval.reject", PROPOSAL), style="danger", confirm="Certeza?"
            ),
        ),
    )


def test_report_text_keeps_every_line_and_bolds_key_figures() -> None:
    [out] = render_reply(_report(), "pt-BR")
    assert out.kind == "text"
    assert out.body.splitlines() == [
        "*Relatório 13/11–19/11*",
        "• Investimento: *R$ 1.234,56* (+12,3%)",
        "• ROAS: *3,42x* (−4,0%)",
        "Melhor campanha: Black Friday",
        "_Loja Aurora · BRL_",
    ]


def test_a_chart_is_an_image_with_the_text_as_caption() -> None:
    from dataclasses import replace

    reply = replace(_report(), chart=Chart("Investimento x ROAS", b"\x89PNG...", "chart.png"))
    [image] = render_reply(reply, "pt-BR")
    assert image.kind == "image" and image.png == b"\x89PNG..."
    assert "*R$ 1.234,56*" in image.body

    long = replace(reply, text=reply.text + "\n" + "x" * 1100)
    image, text = render_reply(long, "pt-BR")
    assert (image.kind, image.body) == ("image", "Investimento x ROAS")
    assert text.kind == "text" and text.body.endswith("x" * 1100)


def test_approval_cards_get_reply_buttons_carrying_action_and_proposal() -> None:
    [out] = render_reply(_approval(), "pt-BR")
    assert out.kind == "buttons"
    assert [(c.title, c.data) for c in out.choices] == [
        ("Aprovar", f"approval.approve|{PROPOSAL}"),
        ("Rejeitar", f"approval.reject|{PROPOSAL}"),
    ]
    assert decode_action(out.choices[0].data) == Action("approval.approve", PROPOSAL)


def test_more_than_three_choices_or_long_titles_become_a_list() -> None:
    buttons = tuple(Button(f"Campanha {n}", Action("command", f"pausar {n}")) for n in range(1, 13))
    [out] = render_reply(Reply("Qual delas?", buttons=buttons), "pt-BR")
    assert out.kind == "list"
    assert len(out.choices) == 10
    assert out.list_button == "Ver opções"

    long = (Button("Black Friday — Remarketing Quente", Action("command", "pausar 1")),)
    [out] = render_reply(Reply("Pausar?", buttons=long), "en")
    assert out.kind == "list" and out.list_button == "See options"
    [row] = out.choices
    assert len(row.title) <= 24 and row.title.endswith("…")
    assert row.description == "Black Friday — Remarketing Quente"


def test_long_text_with_buttons_is_split_before_an_interactive_prompt() -> None:
    reply = Reply(
        "linha\n" * 400, title="Aprovação necessária", kind="approval", buttons=_approval().buttons
    )
    *texts, prompt = render_reply(reply, "pt-BR")
    assert all(t.kind == "text" and len(t.body) <= 4096 for t in texts)
    assert prompt.kind == "buttons" and prompt.body == "Aprovação necessária"


def test_split_and_merge_respect_the_text_limit() -> None:
    text = "\n".join(f"linha {n} " + "y" * 90 for n in range(200))
    pieces = split_text(text)
    assert all(len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces) == text
    merged = merge_texts(
        [Outgoing("text", body="a"), Outgoing("text", body="b"), Outgoing("buttons", body="c")]
    )
    assert [(m.kind, m.body) for m in merged] == [("text", "a\n\nb"), ("buttons", "c")]


def test_templates_outside_the_window() -> None:
    report = template_for(_report(), NAMES)
    assert (report.template, report.language) == ("daily_report", "pt_BR")
    assert report.params == ("Loja Aurora", "13/11–19/11", "R$ 1.234,56", "3,42x", "87", "R$ 14,19")

    approval = template_for(_approval(), NAMES)
    assert approval.template == "approval_request"
    assert approval.payloads == (f"approval.approve|{PROPOSAL}", f"approval.reject|{PROPOSAL}")
    assert "\n" not in approval.params[0] and "Black Friday" in approval.params[0]

    alert = template_for(
        Reply("Orçamento mensal em 80%\nR$ 8.000,00 de R$ 10.000,00", kind="notice"), NAMES
    )
    assert alert.template == "budget_alert"
    assert alert.params == ("Orçamento mensal em 80% · R$ 8.000,00 de R$ 10.000,00",)


def test_template_parameters_are_single_line_and_bounded() -> None:
    assert template_param("a\n\tb     c") == "a · b c"
    assert len(template_param("z" * 5000)) == 900
    assert template_param("") == "—"


def test_the_24_hour_window() -> None:
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert window_open(now - timedelta(hours=23), now)
    assert not window_open(now - timedelta(hours=23, minutes=55), now)  # safety margin
    assert not window_open(now - timedelta(hours=25), now)
    assert not needs_template(now - timedelta(hours=1), now, proactive=True)
    assert needs_template(now - timedelta(hours=30), now, proactive=True)
    assert needs_template(None, now, proactive=True)
    assert not needs_template(None, now, proactive=False)


def test_callback_data_round_trip_and_limits() -> None:
    action = Action("approval.approve", PROPOSAL)
    assert decode_action(encode_action(action) or "") == action
    assert encode_action(Action("command", "x" * 300)) is None
    assert decode_action("no separator") is None
    assert decode_action("command|relatorio|7d") == Action("command", "relatorio|7d")


def test_link_command_in_both_languages() -> None:
    assert match_link(normalize("Vincular 5511999999999 operador")) == {
        "number": "5511999999999",
        "role": Role.OPERATOR,
    }
    assert match_link(normalize("link +55 (11) 99999-8888 as approver")) == {
        "number": "5511999998888",
        "role": Role.APPROVER,
    }
    assert match_link(normalize("vincular 5511999999999")) == {
        "number": "5511999999999",
        "role": Role.VIEWER,
    }
    assert match_link(normalize("vincular 123 admin")) == {"number": None, "role": Role.ADMIN}
    assert match_link(normalize("vincular 5511999999999 chefe"))["role"] is None  # type: ignore[index]
    assert match_link(normalize("link my account")) is None


def test_the_help_is_one_message_with_its_buttons_in_every_language() -> None:
    """One interactive message, not the text and then a menu: a number's 80 messages a
    second go twice as far in a burst of people asking for help."""
    from bot.core.handlers.help import help_reply
    from vocabulary.i18n import Locale

    for language in ("pt-BR", "en"):
        for llm_configured in (True, False):
            reply = help_reply(Locale(language), llm_configured=llm_configured)
            [message] = render_reply(reply, language)
            assert message.kind == "buttons", (language, llm_configured)
            assert message.body == reply.text.strip()  # every line of the help, none cut
            assert [c.title for c in message.choices] == [b.label for b in reply.buttons]
