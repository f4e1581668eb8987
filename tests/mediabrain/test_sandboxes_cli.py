"""`mediabrain sandbox` serves Meta and Google Ads; other processes reach both by settings."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_worker_process_links_the_google_demo_through_the_standalone_sandbox(
    tmp_path: Path,
) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIABRAIN_")}
    env["MEDIABRAIN_DATA_DIR"] = str(tmp_path / "sandbox-data")
    server = subprocess.Popen(
        [sys.executable, "-m", "mediabrain.cli", "sandbox", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline(), server.stdout.readline()]
        google = dict(re.findall(r"(MEDIABRAIN_GOOGLE_ADS_\w+)=(\S+)", lines[1]))
        assert set(google) == {
            "MEDIABRAIN_GOOGLE_ADS_ENDPOINT",
            "MEDIABRAIN_GOOGLE_ADS_TOKEN_URI",
            "MEDIABRAIN_GOOGLE_ADS_CA_FILE",
        }
        client_env = {
            **env,
            **google,
            "MEDIABRAIN_DATA_DIR": str(tmp_path / "app-data"),
            "MEDIABRAIN_META_GRAPH_URL": f"http://127.0.0.1:{port}",
            "MEDIABRAIN_SANDBOX": "on",
        }

        command = ["accounts", "add", "--platform", "google", "813-555-0101"]
        linked = subprocess.run(  # the servers print their addresses once they listen
            [sys.executable, "-m", "mediabrain.cli", *command],
            capture_output=True,
            text=True,
            env=client_env,
            timeout=60,
        )
        assert linked.returncode == 0, linked.stderr
        assert "813-555-0101: Loja Aurora Google (demo) (BRL, America/Sao_Paulo)" in linked.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)
