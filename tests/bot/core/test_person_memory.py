"""Memory per person as well as per conversation (issue 15): language, tone and the default
ad account follow a person to their other chats; a chat's own choice still wins there."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.core.conversation import handle_turn
from storage.repositories import ensure_workspace, link_ad_account
from tests.support.console import console_inbound

SECOND = "act_1000000002"


def say(rt: Any, text: str, chat: str) -> str:
    inbound = replace(console_inbound(text, user="ana"), chat_id=chat)
    return "\n".join(reply.text for reply in handle_turn(rt, inbound))


def test_tone_account_and_language_follow_the_person_to_another_chat(
    make_runtime: Any, sandbox: Any
) -> None:
    rt = make_runtime(sandbox=sandbox)
    name = sandbox.state.accounts[SECOND].name
    with rt.db.session() as session:
        workspace = ensure_workspace(session)
        link_ad_account(
            session, workspace.id, SECOND, name=name, currency="USD", timezone="America/New_York"
        )

    assert "“direto e curto”" in say(rt, "meu tom: direto e curto", "console:first")
    say(rt, f"usar conta {SECOND}", "console:first")
    say(rt, "english", "console:first")

    recalled = say(rt, "what do you remember about me?", "console:second")
    assert recalled == (
        f"What I remember about you: language English · tone direto e curto · account {name}."
    )
    report = say(rt, "report yesterday", "console:second")  # the person's account, not the first
    assert f"_{name} · " in report and "amounts in USD" in report

    say(rt, "usar conta 1", "console:second")  # this chat's own choice wins here...
    assert "account Loja Aurora" in say(rt, "what do you remember about me?", "console:second")
    # ...and becomes the person's choice for their next chat
    assert "account Loja Aurora" in say(rt, "what do you remember about me?", "console:third")
