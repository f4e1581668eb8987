"""Build the ads platform the product talks to: the Meta connector behind the read cache."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol

from pydantic import SecretStr

from ads.base import AdsPlatform
from ads.blocks import SharedBlocks
from ads.cache import CachedAds, token_scope
from ads.cache_backends import CacheBackend, MemoryBackend, RedisBackend
from ads.meta import MetaConnector

#: The embedded default's caches: one per Graph endpoint per process, so connectors built
#: per request share entries (and two sandboxes in one test run never see each other's).
_PROCESS_CACHES: dict[str, MemoryBackend] = {}
_LOCK = threading.Lock()


def process_cache(graph_url: str) -> MemoryBackend:
    with _LOCK:
        return _PROCESS_CACHES.setdefault(graph_url.rstrip("/"), MemoryBackend())


class MetaSettings(Protocol):
    """What the connector needs from the process's settings (read, never stored)."""

    meta_graph_url: str
    meta_api_version: str
    meta_timeout_seconds: float
    meta_access_token: SecretStr | None
    meta_app_secret: SecretStr | None


def build_ads(
    settings: MetaSettings,
    *,
    redis: Any | None = None,
    token: str | None = None,
    on_token_invalid: Callable[[str], None] | None = None,
    backend: CacheBackend | None = None,
    epoch: Callable[[], str] | None = None,
) -> AdsPlatform:
    """``CachedAds(MetaConnector(...))`` for one access token.

    ``token`` defaults to ``settings.meta_access_token``. The cache lives in
    ``backend`` if given, else in Redis when a redis-py client is passed (shared
    by all processes), else in memory for this process (the embedded default).
    Entries are keyed by ad account and served to a token only once it has
    reached that account; ``epoch`` (the sandbox's simulated clock) keeps answers
    from one simulated moment out of another (:class:`ads.cache.CachedAds`).
    """
    if token is None and settings.meta_access_token is not None:
        token = settings.meta_access_token.get_secret_value()
    if not token:
        raise ValueError("a Meta access token is required to build the ads connector")
    app_secret = settings.meta_app_secret.get_secret_value() if settings.meta_app_secret else None
    connector = MetaConnector(
        token,
        graph_url=settings.meta_graph_url,
        api_version=settings.meta_api_version,
        timeout=settings.meta_timeout_seconds,
        app_secret=app_secret,
        on_token_invalid=on_token_invalid,
        # Meta's blocks bind every process (RQ forks per job): kept in Redis when there is one.
        shared_blocks=SharedBlocks(redis, app=settings.meta_graph_url)
        if redis is not None
        else None,
    )
    if backend is None:
        backend = (
            RedisBackend(redis) if redis is not None else process_cache(settings.meta_graph_url)
        )
    return CachedAds(connector, backend, scope=token_scope(token), epoch=epoch)
