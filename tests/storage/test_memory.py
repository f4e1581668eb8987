"""Conversation memory: bounded, summarized, and durable across processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from storage.db import Database
from storage.memory import ConversationMemory, extractive_summary
from storage.migrate import upgrade
from storage.repositories import ensure_workspace, get_or_create_conversation


def _memory(db: Database, session, keep: int = 3) -> ConversationMemory:  # type: ignore[no-untyped-def]
    workspace = ensure_workspace(session)
    conversation = get_or_create_conversation(session, workspace.id, "console", "console:ana")
    return ConversationMemory(session, conversation, keep_turns=keep)


def test_context_is_the_last_turns_plus_a_summary_of_older_ones(db_url: str) -> None:
    upgrade(db_url)
    db = Database(db_url)
    with db.session() as session:
        memory = _memory(db, session, keep=3)
        for i in range(10):
            memory.add("user", f"pergunta {i}. detalhe que não importa")
        context = memory.context()
    assert [t.text.split(".")[0] for t in context.turns] == [
        "pergunta 7",
        "pergunta 8",
        "pergunta 9",
    ]
    assert "pergunta 0" in context.summary and "detalhe" not in context.summary
    assert "pergunta 8" not in context.summary


def test_extractive_summary_is_bounded() -> None:
    from storage.memory import SUMMARY_MAX_CHARS, Turn

    summary = ""
    for i in range(200):
        summary = extractive_summary(summary, [Turn("user", f"mensagem número {i} " * 5, {})])
    assert len(summary) <= SUMMARY_MAX_CHARS
    assert "199" in summary


def test_a_new_process_sees_turns_written_by_another(db_url: str) -> None:
    upgrade(db_url)
    writer = textwrap.dedent(
        f"""
        from storage.db import Database
        from storage.memory import ConversationMemory
        from storage.repositories import ensure_workspace, get_or_create_conversation
        db = Database({db_url!r})
        with db.session() as s:
            ws = ensure_workspace(s)
            conv = get_or_create_conversation(s, ws.id, "slack", "C1", "1700.1")
            mem = ConversationMemory(s, conv, keep_turns=5)
            mem.add("user", "pausar black friday")
            mem.add("assistant", "Campanha Black Friday pausada.")
        """
    )
    reader = textwrap.dedent(
        f"""
        from storage.db import Database
        from storage.memory import ConversationMemory
        from storage.repositories import ensure_workspace, get_or_create_conversation
        db = Database({db_url!r})
        with db.session() as s:
            ws = ensure_workspace(s)
            conv = get_or_create_conversation(s, ws.id, "slack", "C1", "1700.1")
            for turn in ConversationMemory(s, conv, keep_turns=5).context().turns:
                print(turn.role, "|", turn.text)
        """
    )
    subprocess.run([sys.executable, "-c", writer], check=True)
    out = subprocess.run([sys.executable, "-c", reader], check=True, capture_output=True, text=True)
    assert out.stdout.splitlines() == [
        "user | pausar black friday",
        "assistant | Campanha Black Friday pausada.",
    ]
