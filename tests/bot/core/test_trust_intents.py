"""The matchers of issue 15's requests, as people type them (normalized as the core does)."""

from __future__ import annotations

import pytest

from bot.core.routes import ROUTER
from bot.core.typed_decisions import match_decide, match_pending
from bot.core.unclear_inputs import match_bad_monthly_limit, match_bare, match_delete
from vocabulary.parsing import normalize


@pytest.mark.parametrize(
    ("typed", "route"),
    [
        ("pendentes", "pending"),
        ("pending approvals", "pending"),
        ("aprovar 2", "decide"),
        ("Approve #2", "decide"),
        ("desfazer", "decide"),
        ("pausar", "which_target"),
        ("ativar a campanha", "which_target"),
        ("orçamento", "which_target"),
        ("excluir campanha black friday", "delete"),
        ("delete the black friday campaign", "delete"),
        ("limite mensal -100", "bad_monthly_limit"),
        ("limite mensal 45000", "monthly_limit"),  # a valid one still sets the limit
        ("pausar black friday", "pause"),  # with a target: the usual route
        ("orçamento remarketing -50", "budget"),
    ],
)
def test_routes(typed: str, route: str) -> None:
    matched = ROUTER.match(normalize(typed), "pt-BR")
    assert matched is not None and matched[0].name == route


def test_arguments() -> None:
    assert match_pending("pendentes") == {}
    assert match_decide("rejeitar 3") == {"verb": "reject", "number": 3}
    assert match_decide("undo") == {"verb": "undo", "number": None}
    assert match_decide("aprovar tudo") is None
    assert match_bare("pause") == {"verb": "pause"}
    assert match_bare("pausar promo") is None
    assert match_delete("excluir a campanha de natal") == {"target": "natal"}
    assert match_delete("delete the natal campaign") == {"target": "natal"}
    assert match_bad_monthly_limit("limite mensal -100") == {"value": "-100"}
