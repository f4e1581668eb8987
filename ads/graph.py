"""The resilient Graph API client: one ``FacebookAdsApi`` per token, every call guarded.

Every SDK request (node reads, edge cursors, batches, async report polling)
funnels through ``FacebookAdsApi.call``; overriding it here gives each call a
timeout, bounded retries, usage-header pacing, named errors and a fail-fast
block once the token is known dead, without touching the SDK's objects.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

import requests
from facebook_business.api import (
    FacebookAdsApi,
    FacebookResponse,
    _top_level_param_json_encode,
)
from facebook_business.exceptions import FacebookBadObjectError, FacebookRequestError
from facebook_business.session import FacebookSession

from ads.errors import Throttled, TokenExpired
from ads.retry import RetryPolicy, is_retryable, retrying, translate, translate_transport
from ads.usage import UsageTracker

logger = logging.getLogger(__name__)

_current_account: ContextVar[str | None] = ContextVar("meta_current_account", default=None)
_ACCOUNT_IN_URL = re.compile(r"/(act_\d+)(?:/|\?|$)")


@contextlib.contextmanager
def account_scope(account_id: str | None) -> Iterator[None]:
    """Attribute the calls made inside the block to ``account_id`` (usage, errors, blocking)."""
    token = _current_account.set(account_id)
    try:
        yield
    finally:
        _current_account.reset(token)


def account_for(path: Any) -> str | None:
    """The ad account a call concerns: from its path when it names one, else the scope."""
    if isinstance(path, str):
        match = _ACCOUNT_IN_URL.search(path)
        if match:
            return match.group(1)
    elif path:
        first = str(next(iter(path)))
        if first.startswith("act_"):
            return first
    return _current_account.get()


def is_read(method: str, path: Any, params: Mapping[str, Any] | None) -> bool:
    """True when repeating the call cannot change anything on the account."""
    if method == "GET":
        return True
    if method != "POST":
        return False
    if not isinstance(path, str) and tuple(path) == () and params and "batch" in params:
        batch = params["batch"]
        return isinstance(batch, list) and all(item.get("method") == "GET" for item in batch)
    # Starting an async insights report only creates a throwaway report run.
    return not isinstance(path, str) and bool(path) and str(tuple(path)[-1]) == "insights"


class TokenGuard:
    """Remembers that the token died (Meta 190) so later calls fail without the network."""

    def __init__(self, on_token_invalid: Callable[[str], None] | None = None) -> None:
        self._on_token_invalid = on_token_invalid
        self._lock = threading.Lock()
        self._error: TokenExpired | None = None
        self.blocked_accounts: set[str] = set()
        self.last_account: str | None = None  # names the account when a call had no scope

    @property
    def blocked(self) -> bool:
        return self._error is not None

    def check(self, account_id: str | None) -> None:
        error = self._error
        if error is not None:
            raise TokenExpired(
                error.message,
                code=error.code,
                subcode=error.subcode,
                trace_id=error.trace_id,
                account_id=account_id or error.account_id,
            )

    def trip(self, account_id: str | None, error: TokenExpired) -> None:
        account_id = account_id or self.last_account
        with self._lock:
            first = self._error is None
            self._error = error
            if account_id:
                self.blocked_accounts.add(account_id)
        if first:
            logger.warning(
                "meta token rejected (code %s/%s) for %s: blocking further calls",
                error.code,
                error.subcode,
                account_id or "-",
            )
            if self._on_token_invalid is not None:
                try:
                    self._on_token_invalid(account_id or "")
                except Exception:
                    logger.exception("on_token_invalid callback failed")

    def reset(self) -> None:
        with self._lock:
            self._error = None
            self.blocked_accounts.clear()


_UNPARSED = object()


class _ParsedOnce(FacebookResponse):
    """A ``FacebookResponse`` whose first parse (the SDK's success check, which only reads
    it) is handed to the next reader; any later reader parses the body anew, as before."""

    _parsed: Any = _UNPARSED
    _handed = False

    def json(self) -> Any:
        if self._handed:
            return super().json()
        if self._parsed is _UNPARSED:
            self._parsed = super().json()
        else:
            self._handed = True
        return self._parsed


class GraphApi(FacebookAdsApi):
    """A per-connector ``FacebookAdsApi`` whose ``call`` retries, paces and names errors."""

    def __init__(
        self,
        access_token: str,
        *,
        graph_url: str,
        api_version: str,
        timeout: float,
        app_secret: str | None = None,
        policy: RetryPolicy | None = None,
        usage: UsageTracker | None = None,
        guard: TokenGuard | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        session = FacebookSession(access_token=access_token, app_secret=app_secret, timeout=timeout)
        # The SDK builds URLs from ``session.GRAPH``; an instance attribute keeps it per tenant.
        session.GRAPH = graph_url.rstrip("/")
        super().__init__(session, api_version)
        self.policy = policy or RetryPolicy()
        self.usage = usage or UsageTracker()
        self.guard = guard or TokenGuard()
        self._sleep = sleep
        self._stats_lock = threading.Lock()
        self.network_calls = 0

    def __repr__(self) -> str:
        return f"GraphApi({self._session.GRAPH!r}, {self._api_version!r})"

    def call(  # type: ignore[override]
        self,
        method: str,
        path: Any,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        files: Mapping[str, Any] | None = None,
        url_override: str | None = None,
        api_version: str | None = None,
    ) -> FacebookResponse:
        account = account_for(path)
        self.guard.check(account)
        read = is_read(method, path, params)
        attempt = retrying(
            self.policy, retry_on=lambda exc: is_retryable(exc, read=read), sleep=self._sleep
        )
        return attempt(
            self._attempt, account, method, path, params, headers, files, url_override, api_version
        )

    def _attempt(
        self,
        account: str | None,
        method: str,
        path: Any,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        files: Mapping[str, Any] | None,
        url_override: str | None,
        api_version: str | None,
    ) -> FacebookResponse:
        self.guard.check(account)  # another thread may have found the token dead meanwhile
        if account:
            self.guard.last_account = account
        self._pace(account)
        with self._stats_lock:
            self.network_calls += 1
        try:
            response = self._sdk_call(
                method, path, params, headers, files, url_override, api_version
            )
        except FacebookRequestError as exc:
            self.usage.record(account, exc.http_headers())
            error = translate(exc, account)
            if isinstance(error, TokenExpired):
                self.guard.trip(account, error)
            raise error from exc
        except requests.RequestException as exc:
            # ``from None``: the transport exception's text can embed the token-bearing URL.
            raise translate_transport(exc, account) from None
        self.usage.record(account, response.headers())
        return response

    def _sdk_call(
        self,
        method: str,
        path: Any,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        files: Mapping[str, Any] | None,
        url_override: str | None,
        api_version: str | None,
    ) -> FacebookResponse:
        """``FacebookAdsApi.call`` (facebook-business 22+) step for step, answering with a
        :class:`_ParsedOnce` so the body its success check parses is not parsed again by
        the reader (a report's insights batch is ~350 KB of JSON). The debug logger's
        path is the SDK's own."""
        if self._enable_debug_logger:
            return super().call(method, path, params, headers, files, url_override, api_version)
        params = params or {}
        headers = headers or {}
        files = files or {}
        api_version = api_version or self._api_version
        if api_version and not re.search(r"v[0-9]+\.[0-9]+", api_version):
            raise FacebookBadObjectError(
                f"Please provide the API version in the following format: {self.API_VERSION}"
            )
        self._num_requests_attempted += 1
        if not isinstance(path, str):
            path = "/".join(
                (url_override or self._session.GRAPH, api_version, "/".join(map(str, path)))
            )
        headers = {**headers, **FacebookAdsApi.HTTP_DEFAULT_HEADERS}
        if params:
            params = _top_level_param_json_encode(params)
        body = "params" if method in ("GET", "DELETE") else "data"
        answer = self._session.requests.request(
            method,
            path,
            headers=headers,
            files=files,
            timeout=self._session.timeout,
            **{body: params},
        )
        response = _ParsedOnce(
            body=answer.text,
            headers=answer.headers,
            http_status=answer.status_code,
            call={
                "method": method,
                "path": path,
                "params": params,
                "headers": headers,
                "files": files,
            },
        )
        if response.is_failure():
            raise response.error()
        self._num_requests_succeeded += 1
        return response

    def _pace(self, account: str | None) -> None:
        delay, blocked_for = self.usage.delay_for(account)
        if blocked_for is not None and blocked_for > self.policy.max_throttle_wait:
            raise Throttled(
                f"Meta rate limit: access returns in about {blocked_for / 60:.0f} min",
                retry_after=blocked_for,
                account_id=account,
            )
        if delay > 0:
            logger.info("meta usage high for %s: pausing %.1fs", account or "-", delay)
            self._sleep(delay)
