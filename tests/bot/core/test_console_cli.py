"""`mediabrain chat` as a newcomer runs it: the real command, the embedded default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from storage.db import Database
from storage.memory import ConversationMemory
from storage.repositories import ensure_workspace, get_or_create_conversation


def chat(tmp_path: Path, *args: str, stdin: str | None = None, **env: str) -> str:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("MEDIABRAIN_")
    }
    environment.update({"MEDIABRAIN_DATA_DIR": str(tmp_path / "data"), "MEDIABRAIN_SANDBOX": "off"})
    environment.update(env)
    out = subprocess.run(
        [sys.executable, "-m", "mediabrain.cli", "chat", "--user", "ana", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=True,
    )
    return out.stdout


def test_script_mode_answers_help_in_portuguese_by_default(tmp_path: Path) -> None:
    script = tmp_path / "demo.txt"
    script.write_text("# a comment line is skipped\najuda\n", encoding="utf-8")
    out = chat(tmp_path, "--script", str(script))
    assert out.startswith("> ajuda\n*O que eu sei fazer*\n")
    assert "  [1] Relatório 7 dias\n  [2] Campanhas" in out


def test_english_per_workspace_setting_and_per_user_switch(tmp_path: Path) -> None:
    out = chat(tmp_path, stdin="help\n", MEDIABRAIN_LANGUAGE="en")
    assert "*What I can do*" in out
    out = chat(tmp_path / "other", stdin="english\nhelp\nportuguês\najuda\n")
    assert "Got it: I'll answer in English." in out
    assert "*What I can do*" in out
    assert "Combinado: vou responder em português." in out
    assert out.rstrip().endswith("[2] Campanhas")


def test_a_numbered_choice_presses_the_button(tmp_path: Path) -> None:
    out = chat(tmp_path, stdin="ajuda\n2\n")
    # "2" pressed the "Campanhas" button; with the sandbox off there is no ad account yet.
    assert "Nenhuma conta de anúncios vinculada a este workspace ainda." in out


def test_unknown_commands_get_a_few_choices_and_a_pointer_to_help(tmp_path: Path) -> None:
    out = chat(tmp_path, stdin="fazer mágica\n")
    assert "Não entendi “fazer mágica”. Você quis dizer:" in out
    assert "*ajuda* mostra tudo o que eu sei fazer." in out and "  [3] " in out


def test_memory_survives_a_restart(tmp_path: Path) -> None:
    chat(tmp_path, stdin="ajuda\n")
    chat(tmp_path, stdin="english\n")
    db = Database(f"sqlite:///{tmp_path / 'data' / 'mediabrain.sqlite3'}")
    with db.session() as session:
        workspace = ensure_workspace(session)
        conversation = get_or_create_conversation(session, workspace.id, "console", "console:ana")
        turns = ConversationMemory(session, conversation).context().turns
    assert [(t.role, t.text.splitlines()[0]) for t in turns] == [
        ("user", "ajuda"),
        ("assistant", "*O que eu sei fazer*"),
        ("user", "english"),
        ("assistant", "Got it: I'll answer in English."),
    ]
