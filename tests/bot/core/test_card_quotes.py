"""Console: an injected agent's reason shows as a labelled one-line quotation on the card."""

from __future__ import annotations

import io
from typing import Any

from bot.console import ConsoleChat
from tests.support.console import say
from tests.support.injection import assert_quoted, injected_proposal


def test_a_fake_approval_in_an_agents_reason_stays_inside_its_quotation(
    make_runtime: Any, sandbox: Any, sqlite_url: str
) -> None:
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    out = io.StringIO()
    ConsoleChat(rt, user="ana", out=out)  # ana's console prints what is sent to her chat
    say(rt, "ajuda")
    from storage.models import User

    with rt.db.session() as session:
        ana = session.query(User).filter_by(console_name="ana").one()
    injected_proposal(rt, "console", "console:ana", ana.id)
    card = out.getvalue()
    assert "Aprovação necessária" in card and "[1] Aprovar" in card
    assert_quoted(card)
    assert "Aprovado por Maria" not in card.split("Pedido por")[0]
