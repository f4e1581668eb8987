"""Safe writes to Meta: absolute values, and a read-back before retrying an ambiguous failure.

A timeout or 5xx on a write may or may not have applied. An update is read
back and counts as done when the object already shows the new value; a create
is retried only when no object by that name exists yet. When the check itself
fails the caller gets ``AmbiguousWrite``, never a silent second write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from facebook_business.api import FacebookRequest, FacebookResponse

from ads.errors import AdsError, AmbiguousWrite, TransientError
from ads.graph import GraphApi, account_scope
from ads.retry import RetryPolicy, retrying

logger = logging.getLogger(__name__)


def read_node(api: GraphApi, object_id: str, fields: Sequence[str]) -> dict[str, Any]:
    """One object's fields as plain JSON (a small node read)."""
    request = FacebookRequest(node_id=object_id, method="GET", endpoint="/", api=api)
    request.add_params({"fields": ",".join(fields)})
    response: FacebookResponse = request.execute()
    body = response.json()
    return dict(body) if isinstance(body, Mapping) else {}


def update_checked(
    api: GraphApi,
    object_id: str,
    params: dict[str, Any],
    *,
    applied: Callable[[dict[str, Any]], bool],
    fields: Sequence[str],
    policy: RetryPolicy,
    sleep: Callable[[float], None],
) -> None:
    """POST absolute values; after a failure that may have applied, read back first."""

    def attempt() -> None:
        request = FacebookRequest(node_id=object_id, method="POST", endpoint="/", api=api)
        request.add_params(params)
        try:
            request.execute()
        except TransientError as exc:
            try:
                current = read_node(api, object_id, fields)
            except AdsError as read_error:
                raise AmbiguousWrite(
                    f"update of {object_id} failed ({exc.message}) and could not be checked",
                    code=exc.code,
                    trace_id=exc.trace_id,
                ) from read_error
            if applied(current):
                logger.info("update of %s applied despite %s", object_id, type(exc).__name__)
                return
            raise

    retrying(policy, retry_on=lambda exc: isinstance(exc, TransientError), sleep=sleep)(attempt)


def create_once(
    account_id: str,
    name: str,
    *,
    post: Callable[[], Any],
    existing: Callable[[], list[tuple[str, str]]],
    policy: RetryPolicy,
    sleep: Callable[[float], None],
) -> str:
    """Create once and return the new id; after an ambiguous failure only retry when nothing
    by that name exists (``existing`` lists the account's (id, name) pairs)."""

    def attempt() -> str:
        try:
            created = post()
        except TransientError as exc:
            try:
                clash = [oid for oid, other in existing() if other == name]
            except AdsError as read_error:
                raise AmbiguousWrite(
                    f"creating {name!r} failed ({exc.message}) and could not be checked",
                    code=exc.code,
                    trace_id=exc.trace_id,
                    account_id=account_id,
                ) from read_error
            if clash:
                raise AmbiguousWrite(
                    f"creating {name!r} failed ({exc.message}); objects with that name "
                    f"exist: {', '.join(clash)}",
                    code=exc.code,
                    trace_id=exc.trace_id,
                    account_id=account_id,
                ) from exc
            raise
        return str(created["id"])

    with account_scope(account_id):
        return retrying(policy, retry_on=lambda exc: isinstance(exc, TransientError), sleep=sleep)(
            attempt
        )
