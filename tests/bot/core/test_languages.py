"""Languages (issue 15, item 8): `--language` wins for the session, cards re-render in the
reader's language with no raw ids, plurals are proper, and times are the workspace's."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.console import ConsoleChat
from tests.support.world import World, build_world
from vocabulary import i18n

PORTUGUESE = re.compile(r"\b(Pedido|rotina|orçamento|acima|meta|Expirou|otimização|conjunto)\b")


@pytest.fixture
def make_world(make_runtime: Any, sandbox: Any, sqlite_url: str) -> Any:
    def build() -> World:
        return build_world(make_runtime, sandbox, sqlite_url)

    return build


def chat(tmp_path: Path, *args: str, stdin: str) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MEDIABRAIN_")}
    environment.update({"MEDIABRAIN_DATA_DIR": str(tmp_path / "data"), "MEDIABRAIN_SANDBOX": "off"})
    done = subprocess.run(
        [sys.executable, "-m", "mediabrain.cli", "chat", "--user", "ana", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=True,
    )
    return done.stdout


def test_the_language_flag_wins_over_a_stored_preference_for_the_session(tmp_path: Path) -> None:
    assert "Combinado: vou responder em português." in chat(tmp_path, stdin="português\n")
    out = chat(tmp_path, "--language", "en", stdin="help\nportuguês\najuda\n")
    first, _, after = out.partition("> português")
    assert "*What I can do*" in first and "O que eu sei fazer" not in first
    assert "*O que eu sei fazer*" in after  # typed in the chat: the person's choice wins
    assert "*O que eu sei fazer*" in chat(tmp_path, stdin="ajuda\n")  # stored, as chosen


def test_a_nightly_card_reads_in_english_and_refreshes_in_portuguese(make_world: Any) -> None:
    world = make_world()
    world.say("english")
    world.advance(hours=17)  # 23:00 the nightly optimization, 08:00 its digest with the cards
    cards = [r for r in world.to("console:ana") if r.kind == "approval"]
    assert cards, world.kinds("console:ana")
    for card in cards:
        assert "Requested by schedule nightly optimization" in card.text
        assert "nightly-optimization" not in card.text
        assert not PORTUGUESE.search(card.text), card.text
    world.say("português")
    world.sender.updates.clear()
    world.advance(hours=36)  # nobody decided: the requests expire and every card is refreshed
    expired = [reply for _, reply in world.sender.updates if "⌛" in reply.text]
    assert len(expired) >= len(cards)
    for card in expired:
        assert "⌛ Expirou sem decisão" in card.text and "Expired" not in card.text
        assert "Pedido por rotina otimização noturna" in card.text


def test_no_catalog_message_has_a_lazy_plural() -> None:
    import vocabulary.messages
    import vocabulary.schedule_messages  # noqa: F401  (each registers its catalog)

    lazy = re.compile(r"\w\((?:s|es|ões|ãos|is|ns)\)")
    found = [
        f"{key} [{language}]: {text}"
        for key, entry in i18n._CATALOG.items()
        for language, text in entry.items()
        if lazy.search(text.replace("http(s)", ""))
    ]
    assert found == []


def test_the_console_shows_the_sandbox_clock_in_the_workspaces_timezone(
    make_runtime, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox)
    out = io.StringIO()
    ConsoleChat(rt, user="ana", out=out).run_script(["ajuda", "/avancar 1d"])
    local = sandbox.now().astimezone(ZoneInfo("America/Sao_Paulo"))
    assert f"⏩ sandbox: {local:%Y-%m-%d %H:%M} (America/Sao_Paulo)" in out.getvalue()
    assert (sandbox.now() - local).total_seconds() == 0 and local.utcoffset() == timedelta(hours=-3)
