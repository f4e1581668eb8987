"""Slack Web API clients with the hygiene every call needs.

- the base URL is a setting (``MEDIABRAIN_SLACK_API_URL``), so tests and demos
  talk to the local fake Slack server and nothing ever reaches slack.com;
- 429: slack_sdk's ``RateLimitErrorRetryHandler`` waits the ``Retry-After``;
- connection resets: ``ConnectionErrorRetryHandler``;
- 5xx: :func:`call` retries with tenacity (exponential back-off), then raises;
- every call has a timeout.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient
from tenacity import (
    before_sleep_log,
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

if TYPE_CHECKING:
    from slack_sdk.http_retry import RetryHandler

    from vocabulary.settings import Settings

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
SERVER_ERROR_ATTEMPTS = 3


def retry_handlers() -> list[RetryHandler]:
    return [
        ConnectionErrorRetryHandler(max_retry_count=1),
        RateLimitErrorRetryHandler(max_retry_count=2),
    ]


def web_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient on the configured base URL, with rate-limit and connection retries."""
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(),
    )


def webhook_client(url: str) -> WebhookClient:
    """A client for a ``response_url`` (slash commands and button clicks)."""
    return WebhookClient(url, timeout=TIMEOUT_SECONDS, retry_handlers=retry_handlers())


def is_server_error(exc: BaseException) -> bool:
    return isinstance(exc, SlackApiError) and getattr(exc.response, "status_code", 0) >= 500


def error_code(exc: BaseException) -> str:
    """Slack's error string (``not_in_channel``...) or the HTTP status."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        status = getattr(response, "status_code", 200)
        if status >= 500:
            return f"http_{status}"
        try:
            code = response.get("error")  # type: ignore[union-attr]
        except Exception:  # a non-JSON body (5xx pages)
            code = None
        return str(code or f"http_{getattr(response, 'status_code', '?')}")
    return type(exc).__name__


_server_retry = retry(
    retry=retry_if_exception(is_server_error),
    stop=stop_after_attempt(SERVER_ERROR_ATTEMPTS),
    wait=wait_exponential(multiplier=0.25, max=2),
    before_sleep=before_sleep_log(logger, logging.WARNING),
    reraise=True,
)


def call(method: Callable[..., Any], **kwargs: Any) -> Any:
    """Call one Web API method, retrying Slack's 5xx answers (429s are handled by the client)."""
    return _server_retry(method)(**kwargs)
