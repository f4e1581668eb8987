"""The long-lived resources of one process, built once from settings.

Web, worker, scheduler and console each build a :class:`Runtime` at start and
hand it down; job functions (which RQ imports by name) reach it through
:func:`get_runtime`, which builds it lazily in the worker process.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

from jobs.queue import JobQueue
from mediabrain.settings import Settings, load_settings
from storage.clock import utcnow
from storage.db import Database

if TYPE_CHECKING:
    from redis import Redis

    from ads.base import AdsPlatform
    from bot.core.outbound import Sender
    from bot.core.types import Channel

logger = logging.getLogger(__name__)


class Runtime:
    def __init__(self, settings: Settings, *, redis: Redis | None = None) -> None:
        self.settings = settings
        self.db = Database(settings.effective_database_url)
        if redis is None and settings.redis_url:
            from redis import Redis as _Redis

            redis = _Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=2)
        self.redis = redis
        self.queue = JobQueue(redis, job_timeout=settings.job_timeout_seconds)
        self.sandbox: Any = None  # ads.sandbox.SandboxServer when embedded
        self._senders: dict[Channel, Sender] = {}
        self._ads: dict[str, AdsPlatform] = {}
        self._lock = threading.Lock()

    # --- ads --------------------------------------------------------------------
    @property
    def graph_url(self) -> str:
        if self.sandbox is not None:
            return str(self.sandbox.url)
        return self.settings.meta_graph_url

    def start_embedded_sandbox(self) -> None:
        """Serve the Meta sandbox on loopback for the embedded default (console, demos)."""
        if self.sandbox is not None:
            return
        from ads.sandbox import start_sandbox

        state_file = self.settings.sandbox_state_file or self.settings.data_dir / "sandbox.json"
        self.sandbox = start_sandbox(seed=self.settings.sandbox_seed, state_file=state_file)
        logger.info("sandbox: serving the Meta Marketing API sandbox at %s", self.sandbox.url)

    def now(self) -> datetime:
        """The ad platform's now: the sandbox's simulated clock when we run against it."""
        if self.sandbox is not None:
            return self.sandbox.now()  # type: ignore[no-any-return]
        if self.settings.use_sandbox:
            import httpx

            response = httpx.get(f"{self.graph_url.rstrip('/')}/_sandbox/clock", timeout=5)
            response.raise_for_status()
            return datetime.fromisoformat(response.json()["now"])
        return utcnow()

    def ads(self, account: Any) -> AdsPlatform:
        """The (cached) connector for one stored ad account, reused across calls."""
        from ads.registry import connector_for

        # A new token (re-linked account) gets a new connector; the old one may be blocked (190).
        token = bytes(getattr(account, "access_token_encrypted", None) or b"")
        key = f"{account.platform}:{account.external_id}:{hashlib.sha256(token).hexdigest()[:12]}"
        with self._lock:
            if key not in self._ads:
                self._ads[key] = connector_for(self, account)
            return self._ads[key]

    # --- channels ---------------------------------------------------------------
    def sender(self, channel: Channel) -> Sender:
        with self._lock:
            if channel not in self._senders:
                module, _, name = SENDERS[channel.value].partition(":")
                factory = getattr(importlib.import_module(module), name)
                self._senders[channel] = factory(self)
            return self._senders[channel]

    def set_sender(self, channel: Channel, sender: Sender) -> None:
        with self._lock:
            self._senders[channel] = sender

    def close(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None
        self.db.dispose()


#: How each channel's outbound sender is built: "module:callable(runtime) -> Sender".
SENDERS: dict[str, str] = {
    "console": "bot.console:ConsoleSender",
    "slack": "bot.slack.sender:SlackSender",
    "whatsapp": "bot.whatsapp.sender:WhatsAppSender",
}


_current: Runtime | None = None
_current_lock = threading.Lock()


def get_runtime() -> Runtime:
    global _current
    with _current_lock:
        if _current is None:
            _current = Runtime(load_settings())
        return _current


def set_runtime(runtime: Runtime | None) -> None:
    global _current
    with _current_lock:
        _current = runtime
