"""Which Meta failures are worth retrying, how long to wait, and their named errors.

Meta's error codes decide everything: 1/2/``is_transient``/5xx are temporary,
4/17/32/613/80000-80014 are rate limits (wait, ideally as long as Meta says),
190 is a dead token, and 10/100/200-299 are the caller's fault and never get
better by asking again.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from facebook_business.exceptions import FacebookRequestError
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from ads.errors import (
    AdsError,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    RequestTimeout,
    Throttled,
    TokenExpired,
    TransientError,
    Unreachable,
)
from ads.usage import regain_seconds

logger = logging.getLogger(__name__)

TRANSIENT_CODES = frozenset({1, 2})
THROTTLE_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
TOKEN_CODES = frozenset({190, 102})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
NOT_FOUND_SUBCODES = frozenset({33})  # code 100 "object does not exist / no permission"
NOT_FOUND_CODES = frozenset({803})

_SECRET_PARAMS = re.compile(r"(access_token|appsecret_proof)=[^&\s'\"]+")


def redact(text: str) -> str:
    """Strip tokens from text that may embed a request URL (requests' exception messages do)."""
    return _SECRET_PARAMS.sub(r"\1=***", text)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with jittered exponential backoff; throttle waits honour Meta's estimate."""

    attempts: int = 3
    base_delay: float = 1.0
    max_delay: float = 30.0
    throttle_delay: float = 30.0  # when Meta says throttled but not for how long
    max_throttle_wait: float = 120.0  # longer than this: raise Throttled instead of sleeping

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential backoff for the given (1-based) attempt."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return random.uniform(ceiling / 2, ceiling)


def translate(exc: FacebookRequestError, account_id: str | None = None) -> AdsError:
    """The named ads error for an SDK request error (keeps code, subcode and fbtrace_id)."""
    body = exc.body() if isinstance(exc.body(), Mapping) else {}
    error = body.get("error", {}) if isinstance(body, Mapping) else {}
    code = exc.api_error_code()
    subcode = exc.api_error_subcode()
    trace = error.get("fbtrace_id") if isinstance(error, Mapping) else None
    message = exc.api_error_message() or f"Meta API call failed (HTTP {exc.http_status()})"
    user_message = error.get("error_user_msg") if isinstance(error, Mapping) else None
    if user_message and user_message not in message:
        message = f"{message}: {user_message}"  # Meta's explanation for people
    kw: dict[str, Any] = {
        "code": code,
        "subcode": subcode,
        "trace_id": trace,
        "account_id": account_id,
    }
    status = exc.http_status() or 0
    if code in TOKEN_CODES:
        return TokenExpired(message, **kw)
    if code in THROTTLE_CODES:
        return Throttled(message, retry_after=regain_seconds(exc.http_headers(), account_id), **kw)
    if code in PERMISSION_CODES:
        return PermissionDenied(message, **kw)
    if code in NOT_FOUND_CODES or (code == 100 and subcode in NOT_FOUND_SUBCODES):
        return NotFound(message, **kw)
    if code == 100:
        return InvalidRequest(message, **kw)
    if code in TRANSIENT_CODES or exc.api_transient_error() or status >= 500:
        return TransientError(message, **kw)
    if status == 404:
        return NotFound(message, **kw)
    return AdsError(message, **kw)


def translate_transport(exc: requests.RequestException, account_id: str | None) -> AdsError:
    """A transport failure (timeout, refused, reset) as a named error, without leaking the URL."""
    message = f"Meta API unreachable ({type(exc).__name__}): {redact(str(exc))}"
    kind = (
        Unreachable
        if isinstance(exc, requests.ConnectionError) and not isinstance(exc, requests.ReadTimeout)
        else RequestTimeout
    )
    error = kind(message, account_id=account_id)
    # Only a connect timeout proves the request never reached Meta.
    error.not_sent = isinstance(exc, requests.ConnectTimeout)  # type: ignore[attr-defined]
    return error


def is_retryable(exc: BaseException, *, read: bool) -> bool:
    """Reads retry transient failures and throttling; writes only retry what surely did not apply.

    A throttled request was refused before it ran, and a connect timeout never
    reached the server; anything else on a write is left to the caller, which
    reads the object back before trying again.
    """
    if isinstance(exc, Throttled):
        return True
    if isinstance(exc, TransientError):
        return read or bool(getattr(exc, "not_sent", False))
    return False


def wait_seconds(policy: RetryPolicy, state: RetryCallState) -> float:
    """How long to wait before the next attempt (Meta's regain estimate for throttling)."""
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, Throttled):
        if exc.retry_after:
            return exc.retry_after
        return min(policy.throttle_delay, policy.max_throttle_wait)
    return policy.backoff(state.attempt_number)


def retrying(
    policy: RetryPolicy,
    *,
    retry_on: Callable[[BaseException], bool],
    sleep: Callable[[float], None],
) -> Retrying:
    """A tenacity ``Retrying`` for one operation; gives up early on over-long throttles."""

    def should_retry(exc: BaseException) -> bool:
        if not retry_on(exc):
            return False
        if isinstance(exc, Throttled):
            wait = exc.retry_after or min(policy.throttle_delay, policy.max_throttle_wait)
            if wait > policy.max_throttle_wait:
                logger.warning(
                    "meta throttled for %.0fs (over the %.0fs cap): not waiting",
                    wait,
                    policy.max_throttle_wait,
                )
                return False
        return True

    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        logger.info(
            "meta call failed (%s code=%s), retry %d/%d in %.1fs",
            type(exc).__name__,
            getattr(exc, "code", None),
            state.attempt_number,
            policy.attempts - 1,
            state.upcoming_sleep,
        )

    return Retrying(
        stop=stop_after_attempt(policy.attempts),
        wait=lambda state: wait_seconds(policy, state),
        retry=retry_if_exception(should_retry),
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
