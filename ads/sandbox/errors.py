"""Graph API error envelopes, exactly as Meta shapes them.

The connector's error mapping is only as good as the errors it was tested
against, so every failure the sandbox produces goes through :class:`GraphError`
and comes out as ``{"error": {"message", "type", "code", "error_subcode",
"is_transient", "fbtrace_id"}}`` with the HTTP status Graph would use.
``error_subcode`` is present only when Meta sends one (as on Graph).
"""

from __future__ import annotations

from typing import Any

GRAPH_DOCS = "https://developers.facebook.com/docs/graph-api"


class GraphError(Exception):
    """A Graph-shaped failure; raised anywhere in the sandbox, rendered by the router."""

    def __init__(
        self,
        message: str,
        *,
        code: int,
        type: str = "OAuthException",
        subcode: int | None = None,
        status: int = 400,
        is_transient: bool = False,
        user_title: str | None = None,
        user_msg: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.type = type
        self.subcode = subcode
        self.status = status
        self.is_transient = is_transient
        self.user_title = user_title
        self.user_msg = user_msg

    def envelope(self, trace_id: str) -> dict[str, Any]:
        error: dict[str, Any] = {
            "message": self.message,
            "type": self.type,
            "code": self.code,
        }
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        error["is_transient"] = self.is_transient
        if self.user_title:
            error["error_user_title"] = self.user_title
        if self.user_msg:
            error["error_user_msg"] = self.user_msg
        error["fbtrace_id"] = trace_id
        return {"error": error}


# --- the catalogue -----------------------------------------------------------------


def missing_token() -> GraphError:
    return GraphError("An access token is required to request this resource.", code=104)


def expired_token(expired_at: str, now: str) -> GraphError:
    return GraphError(
        f"Error validating access token: Session has expired on {expired_at}. "
        f"The current time is {now}.",
        code=190,
        subcode=463,
    )


def unknown_object(method: str, object_id: str) -> GraphError:
    return GraphError(
        f"Unsupported {method.lower()} request. Object with ID '{object_id}' does not exist, "
        "cannot be loaded due to missing permissions, or does not support this operation. "
        f"Please read the Graph API documentation at {GRAPH_DOCS}",
        code=100,
        subcode=33,
        type="GraphMethodException",
    )


def unsupported_request(method: str) -> GraphError:
    return GraphError(
        f"Unsupported {method.lower()} request. Please read the Graph API documentation at "
        f"{GRAPH_DOCS}",
        code=100,
        type="GraphMethodException",
    )


def unknown_path(components: str) -> GraphError:
    return GraphError(f"Unknown path components: /{components}", code=2500)


def nonexisting_field(field: str, node_type: str) -> GraphError:
    return GraphError(
        f"(#100) Tried accessing nonexisting field ({field}) on node type ({node_type})",
        code=100,
    )


def required_param(name: str) -> GraphError:
    return GraphError(f"(#100) The parameter {name} is required", code=100)


def invalid_param(
    message: str,
    *,
    subcode: int | None = None,
    user_title: str | None = None,
    user_msg: str | None = None,
) -> GraphError:
    """Graph's generic ``Invalid parameter`` (code 100), with Meta's user-facing text."""
    plain = message.startswith("(#") or message == "Invalid parameter"  # Meta's exact wording
    return GraphError(
        message if plain else f"(#100) {message}",
        code=100,
        subcode=subcode,
        user_title=user_title,
        user_msg=user_msg,
    )


def server_error(code: int = 2) -> GraphError:
    messages = {
        1: "An unknown error occurred",
        2: "An unexpected error has occurred. Please retry your request later.",
    }
    return GraphError(
        messages.get(code, "Service temporarily unavailable"),
        code=code,
        status=500,
        is_transient=True,
    )


def throttled(code: int = 17) -> GraphError:
    """Rate limiting as Meta reports it for ads management (17, 4, 613) and insights (80004...)."""
    if code == 17:
        return GraphError(
            "(#17) User request limit reached",
            code=17,
            subcode=2446079,
            is_transient=True,
            user_title="Ad Account Has Too Many API Calls",
            user_msg="There have been too many calls from this ad-account. "
            "Please wait a bit and try again.",
        )
    if code == 4:
        return GraphError("(#4) Application request limit reached", code=4, is_transient=True)
    if code == 613:
        return GraphError(
            "(#613) Calls to this api have exceeded the rate limit.", code=613, is_transient=True
        )
    return GraphError(
        f"(#{code}) There have been too many calls to this ad-account. Wait a bit and try "
        "again. For more info, please refer to "
        "https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.",
        code=code,
        subcode=2446079,
        is_transient=True,
    )


def too_many_batch_requests() -> GraphError:
    return GraphError(
        "(#100) Too many requests in batch message. Maximum batch size is 50", code=100
    )


def generic(code: int, *, status: int = 400, transient: bool = False) -> GraphError:
    """An arbitrary code chosen by fault injection (e.g. 1, 10, 200, 368, 613)."""
    if code in (4, 17, 613) or 80000 <= code <= 80014:
        return throttled(code)
    if code == 190:
        return GraphError("Error validating access token", code=190, subcode=460)
    if code in (1, 2):
        return server_error(code)
    if code == 10 or 200 <= code <= 299:
        return GraphError(
            f"(#{code}) Requires ads_management permission to manage the object", code=code
        )
    return GraphError(
        f"(#{code}) Sandbox injected error", code=code, status=status, is_transient=transient
    )
