"""CrewAI offline by default: no telemetry, tracing or version check; storage in our data dir.

CrewAI reads these switches from the environment when it is imported and when
it runs, so they are set here, once, before the first ``import crewai``. This is
the one module allowed to write ``os.environ``.
"""

from __future__ import annotations

import logging
import os
import threading
from types import ModuleType

from vocabulary.settings import Settings

logger = logging.getLogger(__name__)

#: Switches that keep CrewAI from phoning home; an operator may still override them.
OFFLINE_DEFAULTS: dict[str, str] = {
    "CREWAI_DISABLE_TELEMETRY": "true",
    "OTEL_SDK_DISABLED": "true",
    "CREWAI_TRACING_ENABLED": "false",
    "CREWAI_DISABLE_VERSION_CHECK": "true",
}

#: CrewAI loggers that are noisy at INFO/WARNING for every call (e.g. token estimates).
QUIET_LOGGERS = ("crewai.llms.base_llm", "crewai.llms.providers", "LiteLLM", "httpx")

_lock = threading.Lock()


def configure(settings: Settings) -> None:
    """Set CrewAI's environment switches and put its storage under ``<data_dir>/crewai``."""
    with _lock:
        for name, value in OFFLINE_DEFAULTS.items():
            os.environ.setdefault(name, value)
        storage = settings.data_dir / "crewai"
        storage.mkdir(parents=True, exist_ok=True)
        os.environ["CREWAI_STORAGE_DIR"] = str(storage)
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.ERROR)


def load_crewai(settings: Settings) -> ModuleType:
    """Configure, then import CrewAI (slow the first time: only worker code calls this)."""
    configure(settings)
    # crewai: heavy (seconds to import); worker side only
    import crewai

    return crewai
