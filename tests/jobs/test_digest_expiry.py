"""Issue 15: the morning digest never shows a card that is already expired, also when the
sandbox clock jumps a whole day past yesterday's requests."""

from __future__ import annotations

import io
import re
from typing import Any

from bot.console import ConsoleChat


def test_the_second_mornings_cards_are_all_open(make_runtime: Any, sandbox: Any) -> None:
    rt = make_runtime(sandbox=sandbox)
    out = io.StringIO()
    chat = ConsoleChat(rt, user="ana", out=out)
    chat.run_script(["ajuda", "/avancar 1d"])
    first = out.getvalue()
    assert "Otimização da noite" in first and "⌛" not in first

    mark = len(out.getvalue())
    chat.run_script(["/avancar 1d"])  # yesterday's requests pass their deadline on the way
    second = out.getvalue()[mark:]
    digest = second[second.index("Otimização da noite") :]
    count = re.search(r"(\d+) decisões da noite", digest)
    assert count is not None
    assert digest.count("Aprovação necessária") == int(count.group(1))
    assert "⌛" not in digest  # none of them shown only to expire
    assert "Expirou sem decisão" in second[: len(second) - len(digest)]  # yesterday's, before
