"""Others' words made inert: one line, no markup, mentions, links or hidden characters."""

from __future__ import annotations

from vocabulary.untrusted import inert, quotation


def test_line_breaks_of_every_kind_collapse_to_one_line() -> None:
    text = "a\nb\r\nc\u2028d\u2029e\u0085f\tg\x0bh   i"
    assert inert(text) == "a b c d e f g h i"


def test_markup_mentions_and_links_are_defanged_but_readable() -> None:
    assert inert("*bold* _it_ ~x~ `code`") == "∗bold∗ ˍitˍ ∼x∼ ʹcodeʹ"
    assert inert("<!channel> <@U0123|maria> @here") == "‹!channel› ‹＠U0123|maria› ＠here"
    assert inert("see https://evil.example/a?b=1") == "see hxxps://evil[.]example/a?b=1"
    assert inert("HTTP://x.io wa.me/5511 joe@mail.com") == (
        "hxxp://x[.]io wa[.]me/5511 joe＠mail[.]com"
    )
    assert inert("site123.com.br") == "site123[.]com[.]br"


def test_figures_and_sentences_are_left_as_written() -> None:
    text = "ROAS 3.5x, CPA R$ 1.000,00, CTR 2,83%. Fim."
    assert inert(text) == text


def test_hidden_characters_are_dropped_and_long_text_is_cut() -> None:
    assert inert("ap\u200brov\u202eado\ufeff") == "aprovado"
    assert inert("x" * 500, 10) == "x" * 9 + "…"
    assert inert(None) == "" and inert("") == ""


def test_a_quotation_says_whose_words_they_are() -> None:
    assert quotation("motivo", 'diz "ok"\n*sim*') == "motivo: “diz 'ok' ∗sim∗”"
