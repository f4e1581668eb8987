"""Named ads-layer errors; the conversation core translates them to plain words at the edge."""

from __future__ import annotations


class AdsError(Exception):
    """An ad platform refused or failed a call."""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        subcode: int | None = None,
        trace_id: str | None = None,
        account_id: str | None = None,
        platform: str = "meta",
    ) -> None:
        super().__init__(message)
        self.platform = platform  # which platform said it (``vocabulary.platforms`` names)
        self.message = message
        self.code = code
        self.subcode = subcode
        self.trace_id = trace_id
        self.account_id = account_id


class TransientError(AdsError):
    """The platform had a temporary problem (Meta codes 1, 2, is_transient, 5xx, timeouts)."""


class IncompleteInsights(TransientError):
    """An async insights report never finished, even submitted a second time."""


class Throttled(AdsError):
    """Rate limited (Meta 4, 17, 32, 613, 80000-80014); ``retry_after`` in seconds when known."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.retry_after = retry_after


class TokenExpired(AdsError):
    """The access token is invalid or expired (Meta 190): calls for the account stop."""


class PermissionDenied(AdsError):
    """The token lacks a permission (Meta 10, 200-299). Never retried."""


class InvalidRequest(AdsError):
    """The platform rejected the parameters (Meta 100). Never retried."""


class NotFound(AdsError):
    """The object does not exist or is not visible to this token."""


class AmbiguousWrite(AdsError):
    """A write timed out and reading the object back could not tell whether it applied."""


class RequestTimeout(TransientError):
    """No answer in time (or the connection dropped): a write may or may not have applied."""


class Unreachable(RequestTimeout):
    """The API could not be reached at all (refused, no route, DNS): check the URL or network."""
