"""The long-lived resources of one process: settings, database, queue, connectors, senders.

The composition root (``mediabrain/runtime.py``) builds a :class:`Runtime` at
start and hands it down, giving it the factories it cannot know from here: how
to build a connector for a stored ad account and a sender for each channel.
Job functions (which RQ imports by name) reach the process's runtime through
:func:`get_runtime`; the entry point installs how to build one with
:func:`install_factory`, so a forked work horse builds its own lazily.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from storage.clock import utcnow
from storage.db import Database
from vocabulary.errors import SandboxUnreachable
from vocabulary.inbound import Channel
from vocabulary.limits import Limiter
from vocabulary.queue import JobQueue
from vocabulary.settings import Settings

if TYPE_CHECKING:
    from redis import Redis

    from ads.base import AdsPlatform
    from storage.models import AdAccount
    from vocabulary.outbox import Sender

logger = logging.getLogger(__name__)

#: Builds the connector for one stored ad account (the root knows Meta, the cache, tokens).
ConnectorFactory = Callable[["Runtime", "AdAccount"], "AdsPlatform"]
#: Builds the outbound sender of one channel.
SenderFactory = Callable[["Runtime"], "Sender"]
#: Runs what became due when the sandbox's simulated clock moved.
ClockHook = Callable[["Runtime"], None]
#: Hears each decision on a proposal: (runtime, workspace id, proposal id, decision, reason).
DecisionListener = Callable[["Runtime", int, str, str, "str | None"], None]


class Runtime:
    def __init__(
        self,
        settings: Settings,
        *,
        redis: Redis | None = None,
        connectors: ConnectorFactory | None = None,
        senders: dict[Channel, SenderFactory] | None = None,
    ) -> None:
        self.settings = settings
        self.db = Database(settings.effective_database_url)
        #: The web process's bounded engine for acks (``mediabrain.web``); None: use ``db``.
        self.ack_db: Database | None = None
        if redis is None and settings.redis_url:
            # redis-py: only processes configured with Redis load it
            from redis import Redis as _Redis

            bound = settings.redis_socket_timeout_seconds
            redis = _Redis.from_url(
                settings.redis_url, socket_timeout=bound, socket_connect_timeout=bound
            )
        self.redis = redis
        self.db.rows.shared = redis  # a write here invalidates every process's cached rows
        self.queue = JobQueue(redis, job_timeout=settings.job_timeout_seconds)
        self.limits = Limiter(redis)  # rate limits per person and workspace (issue 13)
        self.sandbox: Any = None  # ads.sandbox.SandboxServer when embedded
        self._google_sandbox: Any = None  # ads.google.sandbox.GoogleSandbox, on first use
        self._clock_client: Any = None  # httpx.Client reading a standalone sandbox's clock
        self.on_clock_advanced: ClockHook | None = None
        self.decision_listeners: list[DecisionListener] = []
        self._connectors = connectors
        self._sender_factories: dict[Channel, SenderFactory] = dict(senders or {})
        self._senders: dict[Channel, Sender] = {}
        self._ads: dict[str, AdsPlatform] = {}
        # Re-entrant: building a connector may tell admins (a sender) while holding it.
        self._lock = threading.RLock()
        self._google_lock = threading.Lock()
        self._clock_lock = threading.Lock()

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
        from ads.sandbox import start_sandbox  # the sandbox server: only the embedded default

        state_file = self.settings.sandbox_state_file or self.settings.data_dir / "sandbox.json"
        self.sandbox = start_sandbox(seed=self.settings.sandbox_seed, state_file=state_file)
        logger.info("sandbox: serving the Meta Marketing API sandbox at %s", self.sandbox.url)

    def google_sandbox(self) -> Any:
        """The embedded Google Ads sandbox over the Meta sandbox's world (started on first use)."""
        if self.sandbox is None:
            return None
        with self._google_lock:  # rt.ads() holds self._lock while building connectors
            if self._google_sandbox is None:
                # gRPC and google-ads: only when the embedded default reads a Google account
                from ads.google.sandbox.server import start_google_sandbox

                self._google_sandbox = start_google_sandbox(self.sandbox.state)
            return self._google_sandbox

    def now(self) -> datetime:
        """The ad platform's now: the sandbox's simulated clock when we run against it."""
        if self.sandbox is not None:
            return self.sandbox.now()  # type: ignore[no-any-return]
        if self.settings.use_sandbox:
            # httpx: only this command talks to a sandbox over HTTP
            import httpx

            with self._clock_lock:
                # One pooled client: a report reads the clock a few times, a fan-out thousands.
                if self._clock_client is None:
                    self._clock_client = httpx.Client(timeout=5)
                client = self._clock_client
            try:
                response = client.get(f"{self.graph_url.rstrip('/')}/_sandbox/clock")
                response.raise_for_status()
                return datetime.fromisoformat(response.json()["now"])
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                raise SandboxUnreachable(self.graph_url) from exc
        return utcnow()

    def ads(self, account: AdAccount) -> AdsPlatform:
        """The (cached) connector for one stored ad account, reused across calls."""
        if self._connectors is None:
            raise RuntimeError("this runtime was built without a connector factory")
        # A new token (re-linked account) gets a new connector; the old one may be blocked (190).
        token = bytes(getattr(account, "access_token_encrypted", None) or b"")
        key = f"{account.platform}:{account.external_id}:{hashlib.sha256(token).hexdigest()[:12]}"
        with self._lock:
            if key not in self._ads:
                self._ads[key] = self._connectors(self, account)
            return self._ads[key]

    # --- channels ---------------------------------------------------------------
    def sender(self, channel: Channel) -> Sender:
        with self._lock:
            if channel not in self._senders:
                factory = self._sender_factories.get(channel)
                if factory is None:
                    raise LookupError(f"no sender for channel {channel.value}")
                self._senders[channel] = factory(self)
            return self._senders[channel]

    def set_sender(self, channel: Channel, sender: Sender) -> None:
        with self._lock:
            self._senders[channel] = sender

    def advance_clock_hook(self) -> None:
        """Run what became due after the sandbox clock moved (installed by the root)."""
        if self.on_clock_advanced is not None:
            self.on_clock_advanced(self)

    def close(self) -> None:
        if self._clock_client is not None:
            self._clock_client.close()
            self._clock_client = None
        if self._google_sandbox is not None:
            self._google_sandbox.stop()
            self._google_sandbox = None
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None
        self.db.dispose()
        if self.ack_db is not None:
            self.ack_db.dispose()


_current: Runtime | None = None
_factory: Callable[[], Runtime] | None = None
_current_lock = threading.Lock()


def install_factory(factory: Callable[[], Runtime] | None) -> None:
    """How :func:`get_runtime` builds this process's runtime (set by the entry point)."""
    global _factory
    with _current_lock:
        _factory = factory


def get_runtime() -> Runtime:
    global _current
    with _current_lock:
        if _current is None:
            if _factory is None:
                raise RuntimeError(
                    "no runtime: the process entry point must call install_factory() or set_runtime()"
                )
            _current = _factory()
        return _current


def current_runtime() -> Runtime | None:
    """This process's runtime if one was built (without building one)."""
    return _current


def set_runtime(runtime: Runtime | None) -> None:
    global _current
    with _current_lock:
        _current = runtime
