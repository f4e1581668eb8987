"""The Graph API router: one request in, one Graph-shaped response out.

Kept independent of HTTP so batch items go through exactly the same code as
plain requests (faults, token checks, usage accounting and all). Order of
checks per request mirrors what a client sees from Meta: injected fault,
access token, rate limit, then routing.

Routes (under an optional ``/vNN.N`` prefix; a trailing slash is ignored,
since the SDK requests nodes as ``/v24.0/<id>/``):

* ``GET /me``, ``GET /me/adaccounts``
* ``GET|POST|DELETE /<id>``; ``GET /?ids=a,b``
* ``GET|POST /act_X/{campaigns,adsets,ads,adcreatives}``,
  ``GET /<campaign>/{adsets,ads}``, ``GET /<adset>/ads``, ``GET /<ad>/adcreatives``
* ``GET|POST /<node>/insights`` (POST starts an async report run),
  ``GET /<report_run_id>``, ``GET /<report_run_id>/insights``
* ``GET|POST /act_X/ad_studies`` and ``/<business>/ad_studies``, ``GET|POST|DELETE /<study>``,
  ``GET /<study>/cells``
  (Meta split tests: :mod:`ads.sandbox.studies`)
* ``POST /`` with ``batch`` (at most 50 items)
* ``/_sandbox/...`` admin endpoints (not Graph): clock, faults, reset, stats,
  config, accounts.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ads.sandbox import errors, nodes, studies, writes
from ads.sandbox import insights as ins
from ads.sandbox import params as p
from ads.sandbox.demo import create_demo_accounts
from ads.sandbox.errors import GraphError
from ads.sandbox.faults import Fault, FaultInjector
from ads.sandbox.fields import parse_fields
from ads.sandbox.incidents import SandboxIncident
from ads.sandbox.insights_query import parse_query
from ads.sandbox.records import (
    AccountRecord,
    AdRecord,
    AdSetRecord,
    CampaignRecord,
    CreativeRecord,
    ReportRun,
)
from ads.sandbox.state import USER_ID, USER_NAME, SandboxState
from ads.sandbox.stats import RequestStats
from ads.sandbox.usage import (
    ADS_INSIGHTS,
    ADS_MANAGEMENT,
    UsageLimits,
    UsageTracker,
    throttle_error,
)

logger = logging.getLogger(__name__)

DEFAULT_VERSION = "v24.0"
MAX_BATCH = 50
TIMEOUT_SECONDS = 35.0
SLOW_SECONDS = 2.0
_VERSION = re.compile(r"^v\d+\.\d+$")
_CREATE = {
    "campaigns": writes.create_campaign,
    "adsets": writes.create_adset,
    "ads": writes.create_ad,
    "adcreatives": writes.create_creative,
}


@dataclass
class GraphRequest:
    method: str
    path: str  # without the query string
    params: dict[str, str]
    token: str | None
    base_url: str
    batch_item: bool = False
    version: str | None = None  # the enclosing batch's version, for items
    json_body: Any = None  # admin endpoints only


@dataclass
class GraphResponse:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def split_path(path: str, default_version: str | None = None) -> tuple[str, list[str]]:
    parts = [part for part in path.split("/") if part]
    version = default_version or DEFAULT_VERSION
    if parts and _VERSION.match(parts[0]):
        version, parts = parts[0], parts[1:]
    return version, parts


class GraphApp:
    """The sandbox's Graph API, as a plain object (the HTTP server is a thin shell)."""

    def __init__(
        self, state: SandboxState, *, latency: float = 0.0, limits: UsageLimits | None = None
    ) -> None:
        self.state = state
        self.faults = FaultInjector()
        self.usage = UsageTracker(limits)
        self.stats = RequestStats()
        self.latency = latency
        self.stopping = threading.Event()
        self._traces = itertools.count(1)

    # --- entry point -----------------------------------------------------------------------

    def handle(self, request: GraphRequest) -> GraphResponse:
        if request.path.startswith("/_sandbox"):
            return self._admin(request)
        started = time.perf_counter()
        version, parts = split_path(request.path, request.version)
        with self.state.lock:
            account, kind, route = self._target(parts)
        self.stats.record(
            request.method, "/" + "/".join(parts), route, batch_item=request.batch_item
        )
        regain: int | None = None
        trace = self._trace_id()
        try:
            if self.latency:
                self._sleep(self.latency)
            faults = self.faults.take(
                request.path, batch_item=request.batch_item, method=request.method
            )
            for fault in faults:
                if fault.kind == "throttle":
                    regain = fault.regain_after_minutes or 1
                self._apply_fault(fault, kind)  # raises, or sleeps and lets the call through
            self._authenticate(request)
            self.usage.check(account, kind)
            body = self._dispatch(request, version, parts)
            if any(f.kind == "timeout" for f in faults):
                # apply=True: the write happened, but the client never hears about it.
                self._sleep(faults[-1].seconds or TIMEOUT_SECONDS)
            status = 200
        except GraphError as error:
            status, body = error.status, error.envelope(trace)
            self.stats.record_error(error.code)
            logger.debug(
                "graph error %s on %s %s: %s",
                error.code,
                request.method,
                request.path,
                error.message,
            )
        self.usage.record(account, kind, time.perf_counter() - started)
        headers = self.usage.headers(account, kind, regain_minutes=regain)
        headers.update(
            {
                "x-fb-trace-id": trace,
                "x-fb-rev": "1019283746",
                "facebook-api-version": version,
            }
        )
        return GraphResponse(status, body, headers)

    def _dispatch(self, request: GraphRequest, version: str, parts: list[str]) -> Any:
        method = self._method(request)
        if not parts and method == "POST" and "batch" in request.params:
            return self._batch(request, version)  # items take the lock themselves
        with self.state.lock:
            return self._route(request, method, version, parts)

    @staticmethod
    def _method(request: GraphRequest) -> str:
        override = request.params.get("method", "").upper()
        if request.method in ("GET", "POST") and override in ("GET", "POST", "DELETE"):
            return override
        return request.method

    def _trace_id(self) -> str:
        return f"A{next(self._traces):010d}sbx"

    def _sleep(self, seconds: float) -> None:
        self.stopping.wait(seconds)

    # --- pre-routing checks -----------------------------------------------------------------

    def _target(self, parts: list[str]) -> tuple[str | None, str, str]:
        """(account for usage, usage type, templated route)."""
        state = self.state
        kind = ADS_INSIGHTS if "insights" in parts else ADS_MANAGEMENT
        account: str | None = None
        template: list[str] = []
        for index, part in enumerate(parts):
            if index > 0:
                template.append(part)
                continue
            if part.startswith("act_"):
                account = part if part in state.accounts else None
                template.append("{account}")
            elif part in state.jobs:
                account, kind = state.jobs[part].account_id, ADS_INSIGHTS
                template.append("{report_run}")
            elif part == "me":
                template.append("me")
            elif part in state.studies:
                account = state.studies[part].account_id
                template.append("{ad_study}")
            else:
                record = state.node(part)
                if record is not None:
                    account = record.account_id
                    template.append("{" + _kind_name(record) + "}")
                else:
                    template.append("{id}")
        return account, kind, "/" + "/".join(template)

    def _apply_fault(self, fault: Fault, kind: str) -> None:
        if fault.kind == "server_error":
            if fault.code in (None, 1, 2):
                raise errors.server_error(fault.code or 2)
            raise errors.generic(fault.code, status=500, transient=True)
        if fault.kind == "throttle":
            raise throttle_error(kind, fault.code)
        if fault.kind == "expired_token":
            raise self._expired()
        if fault.kind == "batch_item_error":
            raise errors.generic(fault.code) if fault.code else errors.server_error(2)
        if fault.kind == "slow":
            self._sleep(fault.seconds if fault.seconds is not None else SLOW_SECONDS)
        elif fault.kind == "timeout" and not fault.apply:
            self._sleep(fault.seconds or TIMEOUT_SECONDS)
            raise errors.server_error(2)

    def _expired(self) -> GraphError:
        now = self.state.now()
        return errors.expired_token(
            (now.replace(minute=0, second=0) - timedelta(hours=1)).strftime(
                "%A, %d-%b-%y %H:%M:%S UTC"
            ),
            now.strftime("%A, %d-%b-%y %H:%M:%S UTC"),
        )

    def _authenticate(self, request: GraphRequest) -> None:
        if not request.token:
            raise errors.missing_token()
        if request.token in self.state.expired_tokens:
            raise self._expired()

    # --- routing -----------------------------------------------------------------------------

    def _route(self, request: GraphRequest, method: str, version: str, parts: list[str]) -> Any:
        state = self.state
        params = request.params
        ctx = nodes.Context(state, request.base_url, version, request.token)
        if not parts:
            if method == "GET" and params.get("ids"):
                return self._multi_get(ctx, params)
            raise errors.unsupported_request(method)
        head, rest = parts[0], parts[1:]
        if len(rest) > 1:
            raise errors.unknown_path("/".join(rest[1:]))
        edge = rest[0] if rest else None
        if head == "me":
            return self._me(ctx, method, edge, params)
        if head in state.jobs:
            return self._report_run(ctx, state.jobs[head], method, edge, params)
        if head in state.studies:
            return studies.route(ctx, state.studies[head], method, edge, params)
        record = state.node(head)
        if record is None and edge == "ad_studies":  # a business's edge (Meta's reference)
            found = studies.business_edge(ctx, head, method, params)
            if found is not None:
                return found
        if record is None or not state.can_see(request.token, record.account_id):
            if not head.isdigit() and not head.startswith("act_"):
                raise GraphError(
                    f"(#803) Some of the aliases you requested do not exist: {head}", code=803
                )
            raise errors.unknown_object(method, head)
        if edge is None:
            if method == "GET":
                default = ("account_id", "id") if isinstance(record, AccountRecord) else ("id",)
                return nodes.render(
                    ctx, record, parse_fields(params.get("fields")), default=default
                )
            if method == "POST":
                return writes.update(state, record, params)
            if method == "DELETE":
                return writes.delete(state, record)
            raise errors.unsupported_request(method)
        if edge == "insights" and not isinstance(record, CreativeRecord):
            if method == "GET":
                return nodes.insights_page(ctx, record, params, f"{head}/insights")
            if method == "POST":
                return self._start_report(record, params)
            raise errors.unsupported_request(method)
        if edge == "ad_studies" and isinstance(record, AccountRecord):
            return studies.account_edge(ctx, record, method, params)
        records = nodes.edge_records(state, record, edge)
        if records is None:
            raise errors.nonexisting_field(edge, nodes.node_type(record))
        if method == "GET":
            return nodes.list_page(ctx, records, params, f"{head}/{edge}")
        if method == "POST" and isinstance(record, AccountRecord) and edge in _CREATE:
            return _CREATE[edge](state, record, params)
        raise errors.unsupported_request(method)

    def _multi_get(self, ctx: nodes.Context, params: dict[str, str]) -> dict[str, Any]:
        result = {}
        specs = parse_fields(params.get("fields"))
        for object_id in p.string_list("ids", params["ids"]):
            record = self.state.node(object_id)
            if record is None or not self.state.can_see(ctx.token, record.account_id):
                raise errors.unknown_object("GET", object_id)
            result[object_id] = nodes.render(ctx, record, specs)
        return result

    def _me(self, ctx: nodes.Context, method: str, edge: str | None, params: dict[str, str]) -> Any:
        if method != "GET":
            raise errors.unsupported_request(method)
        if edge is None:
            specs = parse_fields(params.get("fields")) or parse_fields("id,name")
            me = {"id": USER_ID, "name": USER_NAME}
            ins.validate_fields_exist("User", [s.name for s in specs])
            return {s.name: me[s.name] for s in specs if s.name in me} | {"id": USER_ID}
        if edge != "adaccounts":
            raise errors.nonexisting_field(edge, "User")
        accounts = self.state.visible_accounts(ctx.token)
        return nodes.list_page(ctx, accounts, params, "me/adaccounts", ascending=True)

    # --- async insights -----------------------------------------------------------------------

    def _start_report(self, record: Any, params: dict[str, str]) -> dict[str, Any]:
        state = self.state
        query = parse_query(state, record, params)
        rows, _ = ins.run(state, record, query)
        job = ReportRun(
            id=state.new_job_id(),
            account_id=record.account_id,
            node_id=record.id,
            created=state.now(),
            date_start=min(b[0] for b in query.buckets),
            date_stop=max(b[1] for b in query.buckets),
            rows=rows,
            polls_left=state.config.async_polls,
        )
        state.jobs[job.id] = job
        return {"report_run_id": job.id}

    def _report_run(
        self,
        ctx: nodes.Context,
        job: ReportRun,
        method: str,
        edge: str | None,
        params: dict[str, str],
    ) -> Any:
        if method == "DELETE" and edge is None:
            del self.state.jobs[job.id]
            return {"success": True}
        if method != "GET":
            raise errors.unsupported_request(method)
        if edge == "insights":
            if job.polls_left > 0:
                raise errors.invalid_param(
                    "(#100) The report is not ready yet; poll the report run first"
                )
            return nodes.rows_page(ctx, job.rows, params, f"{job.id}/insights")
        if edge is not None:
            raise errors.nonexisting_field(edge, "AdReportRun")
        running = job.polls_left > 0
        if running:
            job.polls_left -= 1
        created = int(job.created.timestamp())
        status = {
            "id": job.id,
            "account_id": job.account_id.removeprefix("act_"),
            "time_ref": created,
            "time_completed": 0 if running else created,
            "async_status": "Job Running" if running else "Job Completed",
            "async_percent_completion": 50 if running else 100,
            "date_start": job.date_start.isoformat(),
            "date_stop": job.date_stop.isoformat(),
            "is_running": running,
        }
        wanted = [s.name for s in parse_fields(params.get("fields"))]
        if not wanted:
            return status
        ins.validate_fields_exist("AdReportRun", wanted)
        return {k: v for k, v in status.items() if k in wanted} | {"id": job.id}

    # --- batch ---------------------------------------------------------------------------------

    def _batch(self, request: GraphRequest, version: str) -> list[dict[str, Any] | None]:
        items = p.json_value("batch", request.params.get("batch"))
        if not isinstance(items, list):
            raise errors.invalid_param("(#100) Param batch must be a JSON array")
        if len(items) > MAX_BATCH:
            raise errors.too_many_batch_requests()
        include_headers = request.params.get("include_headers", "true").lower() != "false"
        results: list[dict[str, Any] | None] = []
        for item in items:
            response = self._batch_item(request, version, item)
            entry: dict[str, Any] = {"code": response.status}
            if include_headers:
                entry["headers"] = [{"name": k, "value": v} for k, v in response.headers.items()]
            entry["body"] = json.dumps(response.body, ensure_ascii=False)
            results.append(entry)
        return results

    def _batch_item(self, request: GraphRequest, version: str, item: Any) -> GraphResponse:
        if not isinstance(item, dict) or not item.get("relative_url"):
            error = errors.invalid_param("(#100) Each batch item needs a method and relative_url")
            return GraphResponse(400, error.envelope(self._trace_id()), {})
        method = str(item.get("method") or "GET").upper()
        target = urlsplit(str(item["relative_url"]))
        params = dict(parse_qsl(target.query, keep_blank_values=True))
        if item.get("body"):
            params.update(parse_qsl(str(item["body"]), keep_blank_values=True))
        token = params.get("access_token") or request.token
        sub = GraphRequest(
            method=method,
            path="/" + target.path.lstrip("/"),
            params=params,
            token=token,
            base_url=request.base_url,
            batch_item=True,
            version=version,
        )
        return self.handle(sub)

    # --- admin (not Graph) ----------------------------------------------------------------------

    def _admin(self, request: GraphRequest) -> GraphResponse:
        try:
            body = self._admin_route(request)
            return GraphResponse(200, body, {})
        except (ValueError, KeyError, TypeError) as exc:
            error = errors.invalid_param(f"(#100) Sandbox admin: {exc}")
            return GraphResponse(400, error.envelope(self._trace_id()), {})

    def _admin_route(self, request: GraphRequest) -> Any:
        state = self.state
        name = request.path.removeprefix("/_sandbox").strip("/")
        data = (
            request.json_body
            if isinstance(request.json_body, dict)
            else {k: p.json_value(k, v) for k, v in request.params.items()}
        )
        method = request.method
        if name == "clock":
            if method == "POST":
                if "set" in data:
                    moment = datetime.fromisoformat(str(data["set"]))
                    state.set_clock(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
                else:
                    state.advance_clock(
                        days=float(data.get("advance_days", 0)),
                        hours=float(data.get("advance_hours", 0)),
                        minutes=float(data.get("advance_minutes", 0)),
                    )
            return {"now": state.now().isoformat(), "start": state.start.isoformat()}
        if name == "faults":
            if method == "DELETE":
                self.clear_faults()
                return {"success": True}
            if method == "POST":
                fault = self.inject(Fault(**data))
                return {"fault": fault.to_json(), "pending": len(self.faults.pending())}
            return {"faults": [f.to_json() for f in self.faults.pending()]}
        if name == "reset" and method == "POST":
            self.reset()
            return {"success": True, "now": state.now().isoformat()}
        if name == "stats":
            if method in ("DELETE", "POST"):
                self.stats.reset()
                return {"success": True}
            return self.stats.snapshot()
        if name == "config" and method == "POST":
            for key in ("async_polls", "ad_review_minutes"):
                if key in data:
                    setattr(state.config, key, int(data[key]))
            limits = data.get("limits") or {}
            for key, value in limits.items():
                if not hasattr(self.usage.limits, key):
                    raise KeyError(key)
                setattr(self.usage.limits, key, type(getattr(self.usage.limits, key))(value))
            return {"config": asdict(state.config), "limits": asdict(self.usage.limits)}
        if name == "accounts" and method == "POST":
            created = create_demo_accounts(state, int(data.get("count", 1)))
            return {"accounts": created}
        if name == "incidents":
            return self._incidents(method, data)
        if name == "tokens" and method == "POST":
            token = str(data["token"])
            state.token_accounts[token] = {str(a) for a in data.get("accounts", [])}
            return {"success": True}
        raise KeyError(f"unknown admin endpoint {method} /_sandbox/{name}")

    def _incidents(self, method: str, data: dict[str, Any]) -> Any:
        """``/_sandbox/incidents``: POST injects one (``account_id``, ``kind``, ``at`` ISO time
        or ``in_hours`` from now, ``hours``, ``magnitude``, ``segment``), DELETE ends an account's, GET lists."""
        state = self.state
        if method == "POST":
            account_id = str(data["account_id"])
            if "at" in data:
                start = datetime.fromisoformat(str(data["at"]))
                start = start if start.tzinfo else start.replace(tzinfo=UTC)
            else:
                start = state.now() + timedelta(hours=float(data.get("in_hours", 0)))
            incident = SandboxIncident(
                kind=str(data["kind"]),
                start=start,
                hours=None if data.get("hours") is None else float(data["hours"]),
                magnitude=None if data.get("magnitude") is None else float(data["magnitude"]),
                segment=None if data.get("segment") is None else str(data["segment"]),
            )
            state.inject_incident(account_id, incident)
            return {"incident": incident.to_json(), "account_id": account_id}
        if method == "DELETE":
            return {"ended": state.clear_incidents(str(data["account_id"]))}
        return {
            "incidents": [
                {"account_id": account.id, **incident.to_json()}
                for account in state.accounts.values()
                for incident in account.incidents
            ]
        }

    # --- controls shared with the Python API ------------------------------------------------------

    def inject(self, fault: Fault) -> Fault:
        if fault.kind == "expired_token" and fault.token:
            self.state.expired_tokens.add(fault.token)
            return fault
        return self.faults.add(fault)

    def clear_faults(self) -> None:
        self.faults.clear()
        self.state.expired_tokens.clear()

    def reset(self) -> None:
        self.state.reset()
        self.faults.clear()
        self.stats.reset()
        self.usage.reset()


def _kind_name(record: Any) -> str:
    if isinstance(record, AccountRecord):
        return "account"
    if isinstance(record, CampaignRecord):
        return "campaign"
    if isinstance(record, AdSetRecord):
        return "adset"
    if isinstance(record, AdRecord):
        return "ad"
    return "creative"
