"""Google Ads failures as the ads layer's named errors.

``GoogleAdsException`` carries a ``GoogleAdsFailure`` whose first error code
decides: quota errors are throttling (wait the ``retry_delay`` Google gives),
authentication errors a dead token, authorization errors a permission problem,
``*_NOT_FOUND`` a missing object, internal errors temporary, and the rest
(query, request, mutate and field errors) the caller's mistake, never retried.
A failed OAuth refresh (a revoked refresh token) reaches us as a gRPC error
from the credentials plugin and is a dead token too.
"""

from __future__ import annotations

import importlib
from typing import Any

import grpc
from google.ads.googleads.errors import GoogleAdsException
from google.api_core.exceptions import GoogleAPICallError
from google.auth.exceptions import RefreshError

from ads.errors import (
    AdsError,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    RequestTimeout,
    Throttled,
    TokenExpired,
    TransientError,
)

_REFRESH_FAILED = ("invalid_grant", "invalid_client", "Getting metadata from plugin failed")


def translate(exc: BaseException, account_id: str | None = None) -> AdsError:
    """The named ads error for a google-ads or gRPC failure (keeps Google's request id)."""
    error = _translate(exc, account_id)
    error.platform = "google"
    return error


def _translate(exc: BaseException, account_id: str | None) -> AdsError:
    if isinstance(exc, GoogleAdsException):
        return _from_failure(exc, account_id)
    failure = _failure_in(exc)
    if failure is not None:  # quota and internal errors stay gRPC errors in the client
        return _from_errors(
            list(failure.errors), getattr(failure, "request_id", None), str(exc), account_id
        )
    if isinstance(exc, RefreshError):
        return TokenExpired(f"Google OAuth refresh failed: {exc}", account_id=account_id)
    if isinstance(exc, GoogleAPICallError | grpc.RpcError):
        if isinstance(exc, GoogleAPICallError):  # the generated clients wrap gRPC errors
            code, details = exc.grpc_status_code, str(exc.message)
        else:
            code = exc.code() if hasattr(exc, "code") else None
            details = str(exc.details()) if hasattr(exc, "details") else str(exc)
        if any(marker in details for marker in _REFRESH_FAILED):
            return TokenExpired(f"Google OAuth refresh failed: {details}", account_id=account_id)
        if code == grpc.StatusCode.DEADLINE_EXCEEDED:
            return RequestTimeout(f"Google Ads timed out: {details}", account_id=account_id)
        if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.INTERNAL):
            error = TransientError(f"Google Ads unreachable: {details}", account_id=account_id)
            error.not_sent = code == grpc.StatusCode.UNAVAILABLE  # type: ignore[attr-defined]
            return error
        if code == grpc.StatusCode.UNAUTHENTICATED:
            return TokenExpired(
                f"Google Ads refused the credentials: {details}", account_id=account_id
            )
        return AdsError(f"Google Ads call failed: {details}", account_id=account_id)
    return AdsError(str(exc), account_id=account_id)


def _failure_in(exc: BaseException) -> Any | None:
    """The ``GoogleAdsFailure`` in a gRPC error's trailing metadata, if it carries one."""
    candidates: list[Any] = [exc, getattr(exc, "response", None), *getattr(exc, "errors", ())]
    for candidate in candidates:
        trailing = getattr(candidate, "trailing_metadata", None)
        if not callable(trailing):
            continue
        try:
            metadata = trailing() or ()
        except Exception:  # a call without metadata
            continue
        for key, value in metadata:
            if key.endswith("googleadsfailure-bin"):
                version = key.split(".")[3]
                module = importlib.import_module(
                    f"google.ads.googleads.{version}.errors.types.errors"
                )
                return module.GoogleAdsFailure.deserialize(value)
    return None


def _from_failure(exc: GoogleAdsException, account_id: str | None) -> AdsError:
    return _from_errors(list(exc.failure.errors), exc.request_id, str(exc), account_id)


def _from_errors(
    errors: list[Any], request_id: str | None, fallback: str, account_id: str | None
) -> AdsError:
    first: Any = errors[0] if errors else None
    family = first.error_code._pb.WhichOneof("error_code") if first is not None else None
    name = getattr(first.error_code, family).name if first is not None and family else "UNKNOWN"
    message = f"{first.message} ({family}: {name})" if first is not None else fallback
    kw: dict[str, Any] = {"trace_id": request_id, "account_id": account_id}
    if family == "quota_error":
        delay = first.details.quota_error_details.retry_delay
        seconds = delay.total_seconds() if delay else 0.0  # proto-plus gives a timedelta
        return Throttled(message, retry_after=seconds or None, **kw)
    if family == "authentication_error":
        return TokenExpired(message, **kw)
    if family == "authorization_error":
        return PermissionDenied(message, **kw)
    if name.endswith("NOT_FOUND"):
        return NotFound(message, **kw)
    if family == "internal_error":
        return TransientError(message, **kw)
    return InvalidRequest(message, **kw)
