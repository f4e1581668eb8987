"""Logging set-up: one line per event, and secrets scrubbed before anything is written."""

from __future__ import annotations

import logging
import re
import sys

from pydantic import SecretStr

from vocabulary import trace
from vocabulary.settings import Settings

_TOKEN_PATTERNS = [
    re.compile(r"(access_token=)[^&\s\"']+"),
    re.compile(r"(xox[abpr]-)[A-Za-z0-9-]+"),
    re.compile(r"(Bearer\s+)[A-Za-z0-9._\-]+"),
    re.compile(r"(EAA)[A-Za-z0-9]{20,}"),
]


class RedactSecrets(logging.Filter):
    """Replaces configured secret values and token-shaped strings with ``***``."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 6]

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        for pattern in _TOKEN_PATTERNS:
            text = pattern.sub(r"\1***", text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = self.scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
        return True


class WorkContext(logging.Filter):
    """Adds ``[event=… proposal=…]`` (what this thread works on, see vocabulary/trace.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        work = trace.current()
        label = work.label() if work is not None else ""
        record.work = f" [{label}]" if label else ""
        return True


def secret_values(settings: Settings) -> list[str]:
    return [
        value.get_secret_value()
        for value in settings.__dict__.values()
        if isinstance(value, SecretStr)
    ]


class OneLine(logging.Formatter):
    """For a person at a terminal: one line per event, the traceback left to the log file."""

    def __init__(self, fmt: str, log_file: str) -> None:
        super().__init__(fmt)
        self.log_file = log_file

    def format(self, record: logging.LogRecord) -> str:
        line = record.getMessage()
        if record.exc_info:
            line += f" ({type(record.exc_info[1]).__name__}; details in {self.log_file})"
        return f"{record.levelname.lower()}: {line}"


class Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """stderr as it is when a line is written, not as it was at set-up: a stream swapped
    since (a test's capture, a redirect) and then closed would otherwise swallow every later
    line, background threads' included, as "--- Logging error ---" noise."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _: object) -> None:
        return


def setup_logging(settings: Settings, *, console: bool = False) -> None:
    """Console chat: one-line warnings on stderr, everything in a log file in the data dir;
    services log at the configured level (tracebacks included, for operators)."""
    level = logging.WARNING if console else getattr(logging, settings.log_level.upper(), 20)
    full = logging.Formatter("%(asctime)s %(levelname)s %(name)s%(work)s: %(message)s")
    redact = RedactSecrets(secret_values(settings))
    handler = Stderr()
    handler.addFilter(WorkContext())
    handler.addFilter(redact)
    handlers: list[logging.Handler] = [handler]
    if console:
        log_file = settings.data_dir / "mediabrain.log"
        try:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            to_file = logging.FileHandler(log_file, encoding="utf-8")
        except OSError:  # a read-only data dir: stderr only, still one line
            to_file = None
        handler.setFormatter(OneLine("", str(log_file)))
        if to_file is not None:
            to_file.setFormatter(full)
            to_file.addFilter(WorkContext())
            to_file.addFilter(redact)
            handlers.append(to_file)
    else:
        handler.setFormatter(full)
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "urllib3", "LiteLLM", "alembic.runtime", "pywa"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
