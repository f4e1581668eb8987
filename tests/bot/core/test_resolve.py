from __future__ import annotations

from dataclasses import dataclass

from bot.core.resolve import resolve


@dataclass(frozen=True)
class C:
    id: str
    name: str


CAMPAIGNS = [
    C("1", "Black Friday - Conversão"),
    C("2", "Remarketing 7d"),
    C("3", "Prospecção Lookalike 1%"),
    C("4", "Black Friday - Remarketing"),
]


def test_loose_words_find_one_campaign() -> None:
    assert resolve("prospeccao", CAMPAIGNS).match == CAMPAIGNS[2]
    assert resolve("black friday conversao", CAMPAIGNS).match == CAMPAIGNS[0]


def test_several_matches_are_ambiguous() -> None:
    result = resolve("black friday", CAMPAIGNS)
    assert result.ambiguous and {c.id for c in result.candidates} == {"1", "4"}


def test_a_number_refers_to_the_list_just_shown() -> None:
    assert resolve("2", CAMPAIGNS, listed_ids=["3", "1"]).match == CAMPAIGNS[0]


def test_typos_are_forgiven_but_nonsense_is_not() -> None:
    assert resolve("remarketng 7d", CAMPAIGNS).match == CAMPAIGNS[1]
    assert resolve("xyzzy", CAMPAIGNS).match is None


def test_explicit_id() -> None:
    assert resolve("id:4", CAMPAIGNS).match == CAMPAIGNS[3]
