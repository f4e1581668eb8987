"""Meta insights reads: one query, async report runs for big ones, per-object edges and batches.

Small queries read ``/act_.../insights`` page by page. Long daily ranges or
long id filters run as an async report (``AdReportRun``), polled with growing
pauses. Many objects' own ``/{id}/insights`` edges, or several levels of one
account, go out as one Graph batch (50 items per HTTP request), so a metrics
sync of four levels costs one request plus any later pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from facebook_business.adobjects.adaccount import AdAccount as SdkAdAccount
from facebook_business.adobjects.adreportrun import AdReportRun
from facebook_business.adobjects.adsinsights import AdsInsights
from facebook_business.api import FacebookRequest

from ads.base import InsightRow, Level, Period
from ads.errors import IncompleteInsights, TransientError
from ads.graph import GraphApi, account_scope
from ads.meta_batch import BatchCall, GraphBatch
from ads.meta_fields import insight_fields, insight_params
from ads.meta_mappers import to_insight

logger = logging.getLogger(__name__)

_ASYNC_DONE = "Job Completed"
_ASYNC_FAILED = frozenset({"Job Failed", "Job Skipped"})


def run_async_report(
    account: SdkAdAccount,
    params: Mapping[str, Any],
    *,
    poll_interval: float,
    max_poll_seconds: float,
    page_size: int,
    sleep: Callable[[float], None],
) -> list[dict[str, Any]]:
    """Start an async report run, poll it with growing pauses, then read all result pages.

    A run that fails or never finishes is submitted once more (Meta's jobs do get stuck);
    a second failure raises :class:`IncompleteInsights`, for the caller to say which
    figures are missing rather than fail the whole answer.
    """
    for attempt in (1, 2):
        try:
            return _one_async_report(
                account,
                params,
                poll_interval=poll_interval,
                max_poll_seconds=max_poll_seconds,
                page_size=page_size,
                sleep=sleep,
            )
        except TransientError as exc:
            if attempt == 2:
                raise IncompleteInsights(f"{exc.message} (submitted twice)") from exc
            logger.warning("insights report for %s: %s; submitting again", account.get_id(), exc)
    raise AssertionError("unreachable")


def _one_async_report(
    account: SdkAdAccount,
    params: Mapping[str, Any],
    *,
    poll_interval: float,
    max_poll_seconds: float,
    page_size: int,
    sleep: Callable[[float], None],
) -> list[dict[str, Any]]:
    report: AdReportRun = account.get_insights(params=dict(params), is_async=True)
    waited = 0.0
    interval = poll_interval
    while True:
        report.api_get(
            fields=[AdReportRun.Field.async_status, AdReportRun.Field.async_percent_completion]
        )
        status = report.get(AdReportRun.Field.async_status)
        percent = report.get(AdReportRun.Field.async_percent_completion) or 0
        if status == _ASYNC_DONE and int(percent) >= 100:
            break
        if status in _ASYNC_FAILED:
            raise TransientError(f"Meta insights report {status.lower()}")
        if waited >= max_poll_seconds:
            raise TransientError("Meta insights report did not finish in time")
        logger.debug("insights report %s at %s%%", report.get_id(), percent)
        sleep(interval)
        waited += interval
        interval = min(interval * 2, 30.0)
    cursor = report.get_result(params={"limit": page_size})
    return [item.export_all_data() for item in cursor]


class MetaInsights:
    """The insights half of ``MetaConnector`` (same API, batch machinery and currency memo)."""

    def __init__(
        self,
        api: GraphApi,
        batch: GraphBatch,
        *,
        currency_of: Callable[[str], str],
        sleep: Callable[[float], None],
        async_after_days: int,
        async_after_objects: int,
        poll_interval: float,
        max_poll_seconds: float,
        page_size: int,
    ) -> None:
        self.api = api
        self.batch = batch
        self._currency_of = currency_of
        self._sleep = sleep
        self.async_after_days = async_after_days
        self.async_after_objects = async_after_objects
        self.poll_interval = poll_interval
        self.max_poll_seconds = max_poll_seconds
        self.page_size = page_size

    def insights(
        self,
        account_id: str,
        level: Level,
        period: Period,
        *,
        object_ids: Sequence[str] | None = None,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
        run_async: bool | None = None,
    ) -> list[InsightRow]:
        """Delivery rows at ``level``; big queries (long daily ranges, many ids) run as a job."""
        level = Level(level)
        if object_ids is not None and not object_ids:
            return []  # an empty selection, not "everything"
        params = self._params(level, period, breakdowns, daily)
        if object_ids and level is not Level.ACCOUNT:
            params["filtering"] = [
                {"field": f"{level.value}.id", "operator": "IN", "value": list(object_ids)}
            ]
        if run_async is None:
            run_async = (daily and period.days > self.async_after_days) or len(
                object_ids or ()
            ) > self.async_after_objects
        with account_scope(account_id):
            account = SdkAdAccount(account_id, api=self.api)
            fields = insight_fields(level)
            if run_async:
                raw = run_async_report(
                    account,
                    {**params, "fields": fields},
                    poll_interval=self.poll_interval,
                    max_poll_seconds=self.max_poll_seconds,
                    page_size=self.page_size,
                    sleep=self._sleep,
                )
            else:
                cursor = account.get_insights(fields=fields, params=params)
                raw = [item.export_all_data() for item in cursor]
        return self.rows(raw, level, breakdowns)

    def batch_insights(
        self,
        account_id: str,
        object_ids: Sequence[str],
        period: Period,
        *,
        level: Level = Level.CAMPAIGN,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
    ) -> list[InsightRow]:
        """Insights for each object via ``/{id}/insights``, grouped 50 per batch request."""
        level = Level(level)
        params = self._params(level, period, breakdowns, daily)
        fields = insight_fields(level)
        calls: list[BatchCall] = [(oid, (oid, "insights"), fields, params) for oid in object_ids]
        pages = self.batch.get(account_id, calls)
        raw = [row for oid in object_ids for row in pages[oid]]
        return self.rows(raw, level, breakdowns)

    def object_insights(
        self,
        account_id: str,
        object_id: str,
        period: Period,
        *,
        level: Level = Level.CAMPAIGN,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
    ) -> list[InsightRow]:
        """Insights of one campaign/ad set/ad via its own ``/{id}/insights`` edge (all pages)."""
        level = Level(level)
        params = self._params(level, period, breakdowns, daily)
        with account_scope(account_id):
            request = FacebookRequest(
                node_id=object_id,
                method="GET",
                endpoint="/insights",
                api=self.api,
                target_class=AdsInsights,
                api_type="EDGE",
                include_summary=False,
            )
            request.add_params(params)
            request.add_fields(insight_fields(level))
            raw = [item.export_all_data() for item in request.execute()]
        return self.rows(raw, level, breakdowns)

    def insights_levels(
        self,
        account_id: str,
        levels: Sequence[Level],
        period: Period,
        *,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
    ) -> dict[Level, list[InsightRow]]:
        """The account's insights at several levels in ONE batch request (all pages)."""
        chosen = [Level(level) for level in levels]
        calls: list[BatchCall] = [
            (
                level.value,
                (account_id, "insights"),
                insight_fields(level),
                self._params(level, period, breakdowns, daily),
            )
            for level in chosen
        ]
        pages = self.batch.get(account_id, calls)
        return {level: self.rows(pages[level.value], level, breakdowns) for level in chosen}

    def rows(
        self, raw: Iterable[Mapping[str, Any]], level: Level, breakdowns: Sequence[str]
    ) -> list[InsightRow]:
        """Graph insights rows as ``InsightRow`` (a row without a currency takes its account's)."""
        return [to_insight(item, level, breakdowns, self._currency_of) for item in raw]

    def _params(
        self, level: Level, period: Period, breakdowns: Sequence[str], daily: bool
    ) -> dict[str, Any]:
        return insight_params(level, period, breakdowns, daily, page_size=self.page_size)
