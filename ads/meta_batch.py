"""Many Graph GETs in batch requests of at most 50, each item retried on its own, every page read.

A Graph batch answers item by item: some items succeed, some fail transiently
or are throttled (those go into the next round, after a backoff), and anything
else fails the whole read with its named error. An edge's later pages are
fetched with plain requests after the batch.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from facebook_business.api import FacebookResponse

from ads.errors import AdsError, Throttled, TokenExpired, TransientError
from ads.graph import GraphApi, TokenGuard, account_scope
from ads.meta_fields import BATCH_LIMIT
from ads.retry import RetryPolicy, translate

logger = logging.getLogger(__name__)

#: One batch item: (result key, Graph path as (node, [edge]), fields, query parameters).
BatchCall = tuple[str, tuple[str, ...], Sequence[str], Mapping[str, Any]]


class GraphBatch:
    """Batch reads over one connector's ``GraphApi`` (its retry policy, token guard and sleep)."""

    def __init__(
        self,
        api: GraphApi,
        *,
        policy: RetryPolicy,
        guard: TokenGuard,
        sleep: Callable[[float], None],
    ) -> None:
        self.api = api
        self.policy = policy
        self.guard = guard
        self._sleep = sleep

    def get(self, account_id: str, calls: Sequence[BatchCall]) -> dict[str, list[dict[str, Any]]]:
        """GET every call, 50 per HTTP request; each key maps to all rows of its result.

        Batch items fail one by one: transient or throttled items go into the
        next round, anything else raises its named error.
        """
        results: dict[str, Any] = {}
        with account_scope(account_id):
            for start in range(0, len(calls), BATCH_LIMIT):
                chunk = calls[start : start + BATCH_LIMIT]
                self._run_chunk(account_id, chunk, results)
            for key, path, fields, params in calls:
                results[key] = self._remaining_pages(path, fields, params, results[key])
        return results

    def _run_chunk(
        self, account_id: str, chunk: Sequence[BatchCall], results: dict[str, Any]
    ) -> None:
        pending = list(chunk)
        for attempt in range(1, self.policy.attempts + 1):
            failures: dict[str, AdsError] = {}
            self._send(account_id, pending, results, failures)
            fatal = next(
                (e for e in failures.values() if not isinstance(e, TransientError | Throttled)),
                None,
            )
            if fatal is not None:
                if isinstance(fatal, TokenExpired):
                    self.guard.trip(account_id, fatal)
                raise fatal
            if not failures:
                return
            pending = [call for call in pending if call[0] in failures]
            error = next(iter(failures.values()))
            if attempt == self.policy.attempts:
                raise error
            wait = self.policy.backoff(attempt)
            if isinstance(error, Throttled):
                wait = error.retry_after or self.policy.throttle_delay
                if wait > self.policy.max_throttle_wait:
                    raise error
            logger.info("retrying %d failed batch items in %.1fs", len(pending), wait)
            self._sleep(wait)

    def _send(
        self,
        account_id: str,
        pending: Sequence[BatchCall],
        results: dict[str, Any],
        failures: dict[str, AdsError],
    ) -> None:
        """One batch request: each answered item into ``results`` or ``failures``.

        The SDK's batch object builds the items (its own URL encoding) and its ``call``
        sends them, but the answers are read here: ``FacebookAdsApiBatch.execute`` parses
        every item's body once to judge it and the success callback parses it again, and a
        report's four daily insights items are ~350 KB of JSON. Anything but a plain
        object is judged by the SDK's own ``FacebookResponse.is_success``.
        """
        batch = self.api.new_batch()
        items = [
            # fields as a plain param: the SDK would warn about fields of untyped requests
            batch.add(
                "GET",
                (path[0], path[1] if len(path) > 1 else ""),
                params={**params, "fields": ",".join(fields)},
            )
            for _, path, fields, params in pending
        ]
        answers = self.api.call("POST", (), params={"batch": items}).json()
        for (key, *_), item, answer in zip(pending, items, answers, strict=False):
            if not answer:
                continue  # Meta answered null for an item it could not finish
            body = answer.get("body")
            try:
                parsed = json.loads(body)
            except (TypeError, ValueError):
                parsed = body
            if (
                isinstance(parsed, dict)
                and parsed
                and not {"error", "success", "Service Unavailable"} & parsed.keys()
            ):
                results[key] = parsed
                continue
            response = FacebookResponse(
                body=body, headers=answer.get("headers"), http_status=answer.get("code"), call=item
            )
            if response.is_success():
                results[key] = parsed
            else:
                failures[key] = translate(response.error(), account_id)
        for key, *_ in pending:
            if key not in results and key not in failures:
                failures[key] = TransientError("batch item not processed", account_id=account_id)

    def _remaining_pages(
        self,
        path: tuple[str, ...],
        fields: Sequence[str],
        params: Mapping[str, Any],
        first: Any,
    ) -> list[dict[str, Any]]:
        """Rows of a batch result: a node is one row; an edge's later pages are fetched."""
        if not isinstance(first, Mapping) or not isinstance(first.get("data"), list):
            return [dict(first)] if isinstance(first, Mapping) else []
        rows = list(first["data"])
        paging = first.get("paging") or {}
        while paging.get("next") and (paging.get("cursors") or {}).get("after"):
            page_params = {
                **params,
                "fields": ",".join(fields),
                "after": paging["cursors"]["after"],
            }
            body = self.api.call("GET", path, params=page_params).json()
            rows.extend(body.get("data") or [])
            paging = body.get("paging") or {}
        return rows
