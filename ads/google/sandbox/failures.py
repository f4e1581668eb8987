"""Google Ads failures as the API sends them: a gRPC status plus a ``GoogleAdsFailure``.

The real client's exception interceptor turns a call that failed with the
``google.ads.googleads.<version>.errors.googleadsfailure-bin`` trailer into a
``GoogleAdsException`` carrying that failure; the sandbox sends the same trailer.
"""

from __future__ import annotations

import uuid

import grpc
from google.ads.googleads.v26.errors.types.errors import (
    ErrorCode,
    ErrorDetails,
    GoogleAdsError,
    GoogleAdsFailure,
    QuotaErrorDetails,
)
from google.protobuf.duration_pb2 import Duration

from ads.google.sandbox.definitions import API_VERSION

FAILURE_KEY = f"google.ads.googleads.{API_VERSION}.errors.googleadsfailure-bin"


class SandboxFailure(Exception):
    """Raised by a handler; the server turns it into the status and trailer Google sends."""

    def __init__(
        self,
        status: grpc.StatusCode,
        family: str,
        code: str,
        message: str,
        *,
        retry_seconds: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.family = family  # the ErrorCode oneof field, e.g. "query_error"
        self.code = code  # its enum name, e.g. "UNRECOGNIZED_FIELD"
        self.message = message
        self.retry_seconds = retry_seconds
        self.request_id = uuid.uuid4().hex[:22]

    def failure(self) -> GoogleAdsFailure:
        error = GoogleAdsError(
            error_code=ErrorCode(**{self.family: self.code}), message=self.message
        )
        if self.retry_seconds is not None:
            error.details = ErrorDetails(
                quota_error_details=QuotaErrorDetails(
                    rate_scope="ACCOUNT",
                    rate_name="Requests per account",
                    retry_delay=Duration(seconds=self.retry_seconds),
                )
            )
        return GoogleAdsFailure(errors=[error], request_id=self.request_id)

    def abort(self, context: grpc.ServicerContext) -> None:
        context.set_trailing_metadata(
            (
                (FAILURE_KEY, GoogleAdsFailure.serialize(self.failure())),
                ("request-id", self.request_id),
            )
        )
        context.abort(self.status, self.message)


def query_error(code: str, message: str) -> SandboxFailure:
    return SandboxFailure(grpc.StatusCode.INVALID_ARGUMENT, "query_error", code, message)


def request_error(code: str, message: str) -> SandboxFailure:
    return SandboxFailure(grpc.StatusCode.INVALID_ARGUMENT, "request_error", code, message)


def mutate_error(code: str, message: str) -> SandboxFailure:
    return SandboxFailure(grpc.StatusCode.INVALID_ARGUMENT, "mutate_error", code, message)


def authentication_error(code: str, message: str) -> SandboxFailure:
    return SandboxFailure(grpc.StatusCode.UNAUTHENTICATED, "authentication_error", code, message)


def authorization_error(code: str, message: str) -> SandboxFailure:
    return SandboxFailure(grpc.StatusCode.PERMISSION_DENIED, "authorization_error", code, message)


def quota_error(retry_seconds: int) -> SandboxFailure:
    return SandboxFailure(
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        "quota_error",
        "RESOURCE_TEMPORARILY_EXHAUSTED",
        f"Too many requests. Retry in {retry_seconds} seconds.",
        retry_seconds=retry_seconds,
    )
