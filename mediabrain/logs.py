"""Logging set-up: one line per event, and secrets scrubbed before anything is written."""

from __future__ import annotations

import logging
import re

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


def setup_logging(settings: Settings, *, console: bool = False) -> None:
    """Console chat logs warnings to stderr only; services log at the configured level."""
    level = logging.WARNING if console else getattr(logging, settings.log_level.upper(), 20)
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s%(work)s: %(message)s")
    )
    handler.addFilter(WorkContext())
    handler.addFilter(RedactSecrets(secret_values(settings)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "urllib3", "LiteLLM", "alembic.runtime", "pywa"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
