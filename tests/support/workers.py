"""A real ``mediabrain worker`` (RQ) subprocess, configured only through ``MEDIABRAIN_*``."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

#: The tests' MEDIABRAIN_SECRET_KEY (required off SQLite): shared by the test and its workers.
TEST_SECRET_KEY = "hJz-KyYUxb3SLVgu2fXUZDD2r5trMtb2K8IcEr13hZ4="


def worker_env(
    settings: Mapping[str, object], *, drop: tuple[str, ...] = ("SLACK_",)
) -> dict[str, str]:
    """This process's environment without its ``MEDIABRAIN_*`` (and ``drop``) variables,
    plus ``settings`` as ``MEDIABRAIN_<NAME>``, importing this checkout."""
    prefixes = ("MEDIABRAIN_", *drop)
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update({f"MEDIABRAIN_{name.upper()}": str(value) for name, value in settings.items()})
    env.setdefault("MEDIABRAIN_SECRET_KEY", TEST_SECRET_KEY)
    env["PYTHONPATH"] = str(ROOT)
    return env


class WorkerProcess:
    """A real ``mediabrain worker`` subprocess (RQ); its output goes to ``log``."""

    def __init__(self, env: Mapping[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mediabrain.cli", "worker"],
            env=dict(env),
            cwd=ROOT,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill() takes the work horse too
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def tail(self, chars: int = 4000) -> str:
        """The end of its log, for a failure message."""
        return self.output()[-chars:]

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM (RQ finishes the job at hand), then SIGKILL after ``grace`` seconds."""
        if self._out.closed:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._out.close()

    def kill(self) -> None:
        """SIGKILL the worker and its work horse at once, as a crash or a host loss would.

        RQ's work horse runs in its own session, so the process group is not enough:
        its children are found through ``/proc`` and killed first.
        """
        if self.process.poll() is None:
            for pid in _descendants(self.process.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._out.close()

    @property
    def crashed(self) -> bool:
        """True if it exited on its own with an error (not by our SIGTERM / SIGKILL)."""
        code = self.process.poll()
        return code not in (None, 0, -signal.SIGTERM, -signal.SIGKILL)


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux ``/proc``), deepest first."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: list[int] = []
    stack = list(children.get(pid, []))
    while stack:
        child = stack.pop()
        found.append(child)
        stack.extend(children.get(child, []))
    return found[::-1]


def start_worker(settings: Mapping[str, object], log: Path, **env_options: Any) -> WorkerProcess:
    """A running worker configured with ``settings`` (``MEDIABRAIN_*`` names, lower case)."""
    return WorkerProcess(worker_env(settings, **env_options), log)
