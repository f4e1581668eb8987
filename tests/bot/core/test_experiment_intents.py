"""A/B test requests as people type them, pt-BR and English (pure matchers)."""

from __future__ import annotations

import pytest

from bot.core.experiment_intents import (
    match_apply,
    match_create,
    match_list,
    match_show,
    match_start,
    match_stop,
    match_what_works,
    quoted,
)
from bot.core.routes import ROUTER
from vocabulary.parsing import normalize


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            'teste A/B no remarketing: "Frete grátis hoje" vs "Só até domingo"',
            {"kind": "copy", "campaign": "remarketing", "count": 2},
        ),
        (
            'A/B test on remarketing: "Free shipping today" vs "Only until Sunday"',
            {"kind": "copy", "campaign": "remarketing", "count": 2},
        ),
        ("teste A/B dos anúncios 3 e 5", {"kind": "creative", "numbers": [3, 5]}),
        ("a/b test ads 3 and 5", {"kind": "creative", "numbers": [3, 5]}),
        ("testar essas 3 variações", {"kind": "crew", "count": 3}),
        ("test these 3 variations", {"kind": "crew", "count": 3}),
        (
            "teste de público: lookalike 1% vs interesses",
            {"kind": "audience", "options": ["lookalike 1%", "interesses"]},
        ),
        (
            "audience test: lookalike 1% vs interests",
            {"kind": "audience", "options": ["lookalike 1%", "interests"]},
        ),
        ("teste A/B entre os anúncios 3 e 5", {"kind": "creative", "numbers": [3, 5]}),
        (
            "audience test: lookalike, interests and broad",
            {"kind": "audience", "options": ["lookalike", "interests", "broad"]},
        ),
        (
            "teste de posicionamento: feed vs stories",
            {"kind": "placement", "options": ["feed", "stories"]},
        ),
        (
            "teste de posicionamento: feed, stories e reels",
            {"kind": "placement", "options": ["feed", "stories", "reels"]},
        ),
        (
            "placement test: feed vs reels",
            {"kind": "placement", "options": ["feed", "reels"]},
        ),
        (
            "test placements: instagram or facebook",
            {"kind": "placement", "options": ["instagram", "facebook"]},
        ),
        ("teste de posicionamento: feed", None),
        ('teste A/B no remarketing: "só um texto"', None),
    ],
)
def test_creating_a_test(typed: str, expected: dict | None) -> None:  # type: ignore[type-arg]
    assert match_create(normalize(typed), "pt-BR") == expected


def test_quoted_texts_keep_accents_and_case() -> None:
    assert quoted('teste A/B: “Frete grátis HOJE” vs "Só até domingo"') == [
        "Frete grátis HOJE",
        "Só até domingo",
    ]


@pytest.mark.parametrize(
    ("typed", "route"),
    [
        ("testes", "tests"),
        ("tests", "tests"),
        ("teste 2", "test_show"),
        ("test 2", "test_show"),
        ("parar teste 2", "test_stop"),
        ("stop test 2", "test_stop"),
        ("iniciar teste 2", "test_start"),
        ("aplicar vencedor do teste 2", "test_apply"),
        ("apply winner", "test_apply"),
        ("o que funciona?", "what_works"),
        ("What works?", "what_works"),
        ("testar regra: pausar se CPA > 2x a meta por 3 dias", "test_rule"),
        ("pausar black friday", "pause"),
    ],
)
def test_the_router_sends_each_request_to_its_route(typed: str, route: str) -> None:
    found = ROUTER.match(normalize(typed), "pt-BR")
    assert found is not None and found[0].name == route


def test_numbers_are_read() -> None:
    assert match_show("teste #12", "pt-BR") == {"number": 12}
    assert match_stop("encerrar o teste 3", "pt-BR") == {"number": 3}
    assert match_start("start test 4", "en") == {"number": 4}
    assert match_apply("aplicar vencedor", "pt-BR") == {}
    assert match_list("meus testes", "pt-BR") == {}
    assert match_what_works("o que aprendemos com os testes", "pt-BR") == {}
