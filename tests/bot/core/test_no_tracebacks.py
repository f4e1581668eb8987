"""No traceback reaches a person (issue 15, item 9): bad encodings, missing files and an
unreachable Meta or sandbox get one line with the fix, through the real command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLOSED = "http://127.0.0.1:1"  # nothing listens there


def mediabrain(
    tmp_path: Path, *args: str, stdin: bytes | None = None, **env: str
) -> subprocess.CompletedProcess[bytes]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MEDIABRAIN_")}
    environment.update({"MEDIABRAIN_DATA_DIR": str(tmp_path / "data"), "MEDIABRAIN_SANDBOX": "off"})
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "mediabrain.cli", *args],
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=120,
    )


def test_latin1_on_stdin_is_read_not_a_crash(tmp_path: Path) -> None:
    done = mediabrain(
        tmp_path, "chat", "--user", "ana", stdin="ajuda\nhist\xf3rico\n".encode("latin-1")
    )
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0 and "Traceback" not in out + err
    assert "(linha 2 não estava em UTF-8: lida como Latin-1 · “histórico”)" in out
    assert "> histórico\n" in out


def test_a_missing_or_latin1_script(tmp_path: Path) -> None:
    missing = mediabrain(tmp_path, "chat", "--script", str(tmp_path / "nope.txt"))
    err = missing.stderr.decode()
    assert missing.returncode == 2 and "Traceback" not in err
    assert err.strip().splitlines() == [
        f"Não consegui ler o roteiro {tmp_path / 'nope.txt'}: No such file or directory. "
        "Confira o caminho (ex.: mediabrain chat --script demo.txt)."
    ]
    script = tmp_path / "latin.txt"
    script.write_bytes("relat\xf3rio\n".encode("latin-1"))
    done = mediabrain(tmp_path, "chat", "--script", str(script), "--language", "en")
    out = done.stdout.decode()
    assert done.returncode == 0 and "Traceback" not in out + done.stderr.decode()
    assert "(line 1 was not UTF-8: read as Latin-1 · “relatório”)" in out


def test_an_unreachable_sandbox_is_one_line_with_the_fix(tmp_path: Path) -> None:
    done = mediabrain(
        tmp_path,
        "chat",
        "--user",
        "ana",
        stdin="relatório\n".encode(),
        MEDIABRAIN_SANDBOX="on",
        MEDIABRAIN_META_GRAPH_URL=CLOSED,
    )
    out, err = done.stdout.decode(), done.stderr.decode()
    assert "Traceback" not in out + err and err == ""
    assert out.splitlines()[:2] == [
        "> relatório",
        f"Não consegui falar com o sandbox da Meta em {CLOSED}. Inicie-o com `mediabrain "
        "sandbox` ou corrija MEDIABRAIN_META_GRAPH_URL.",
    ]
    advance = mediabrain(tmp_path, "sandbox", "advance", "--days", "1", "--url", CLOSED)
    assert advance.returncode == 2 and advance.stdout == b""
    assert advance.stderr.decode().strip().startswith("Não consegui falar com o sandbox da Meta")


def test_an_unreachable_meta_api_is_one_line_with_the_fix(tmp_path: Path) -> None:
    done = mediabrain(
        tmp_path,
        "chat",
        "--user",
        "ana",
        stdin="relatório\n".encode(),
        MEDIABRAIN_META_ACCESS_TOKEN="EAAtesttesttesttesttesttest",
        MEDIABRAIN_META_AD_ACCOUNT_ID="act_123",
        MEDIABRAIN_META_GRAPH_URL=CLOSED,
    )
    out, err = done.stdout.decode(), done.stderr.decode()
    assert "Traceback" not in out + err
    assert out.splitlines()[1] == (
        "Não consegui conectar à API da Meta. Verifique a rede e MEDIABRAIN_META_GRAPH_URL "
        "(com o sandbox: `mediabrain sandbox` precisa estar rodando)."
    )
