"""The web app (``mediabrain serve``): Slack and WhatsApp webhooks and ``GET /healthz``.

It stays light: verify → dedupe → persist → enqueue → ack, nothing slow
inline, and it never imports crewai or matplotlib.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

from mediabrain.metrics import CONTENT_TYPE
from mediabrain.metrics import render as render_metrics
from mediabrain.runtime import build_runtime
from mediabrain.status import missing_schedules
from storage.db import Database, Timeouts
from vocabulary.queue import JobQueue
from vocabulary.runtime import Runtime, set_runtime
from vocabulary.settings import ConfigurationError, Settings

__all__ = ["ConfigurationError", "check_config", "create_app", "serve"]

logger = logging.getLogger(__name__)


def check_config(settings: Settings) -> None:
    """Refuse an unsafe or ambiguous configuration before anything is served or linked."""
    settings.check_secret_key()
    if (
        settings.meta_ad_account_id
        and settings.slack_client_id
        and settings.slack_client_secret
        and not settings.slack_team_id
    ):
        raise ConfigurationError(
            f"MEDIABRAIN_META_AD_ACCOUNT_ID ({settings.meta_ad_account_id}) belongs to workspace "
            f"{settings.meta_ad_account_workspace!r} only, and with Slack OAuth installs "
            "(MEDIABRAIN_SLACK_CLIENT_ID) no Slack team may use it until MEDIABRAIN_SLACK_TEAM_ID "
            "names yours. Set MEDIABRAIN_SLACK_TEAM_ID to your Slack team id (T…), or unset "
            "MEDIABRAIN_META_AD_ACCOUNT_ID and link accounts per workspace with "
            "`mediabrain accounts add`."
        )
    if settings.whatsapp_enabled and settings.whatsapp_app_secret is None:
        raise ConfigurationError(
            "WhatsApp is enabled but MEDIABRAIN_WHATSAPP_APP_SECRET is not set: "
            "webhook signatures could not be verified"
        )
    if settings.whatsapp_enabled and settings.whatsapp_verify_token is None:
        raise ConfigurationError(
            "WhatsApp is enabled but MEDIABRAIN_WHATSAPP_VERIFY_TOKEN is not set"
        )


def create_app(settings: Settings, runtime: Runtime | None = None) -> FastAPI:
    check_config(settings)
    rt = runtime or build_runtime(settings)
    if rt.redis is None:
        rt.queue = JobQueue(None, background=True)
    elif rt.ack_db is None:
        # Acks must beat Slack's 3 s whatever stalls: a bounded engine for the webhook path,
        # with Redis alone as the fallback (bot/core/ingest.py).
        rt.ack_db = Database(
            settings.effective_database_url, timeouts=Timeouts(settings.ack_timeout_seconds)
        )
        rt.ack_db.rows.shared = rt.redis
    app = FastAPI(title="mediabrain", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.runtime = rt
    #: (name, check) pairs the channels add: "ok", or what is wrong while the app still serves
    #: ("degraded": retrying, "refused": a credential refused); /healthz then says "degraded".
    app.state.health_checks = []

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        checks: dict[str, str] = {}
        try:
            rt.db.ping()
            checks["database"] = "ok"
        except Exception as exc:
            logger.warning("healthz: database: %s", exc)
            checks["database"] = "error"
        if rt.redis is None:
            checks["redis"] = "disabled"
        else:
            try:
                rt.redis.ping()
                checks["redis"] = "ok"
                missing = missing_schedules(rt.redis)
                checks["schedules"] = "missing: " + ", ".join(missing) if missing else "ok"
            except Exception as exc:
                logger.warning("healthz: redis: %s", exc)
                checks["redis"] = "error"
        for name, check in app.state.health_checks:
            checks[name] = check()
        healthy = "error" not in checks.values()
        whole = all(value in ("ok", "disabled") for value in checks.values())
        degraded = not whole or checks.get("schedules", "ok") != "ok"
        word = "error" if not healthy else ("degraded" if degraded else "ok")
        return JSONResponse({"status": word, **checks}, status_code=200 if healthy else 503)

    @app.get("/metrics")
    def prometheus_metrics() -> Response:
        """Prometheus text format; what every process recorded in Redis (vocabulary/metrics.py)."""
        if rt.redis is None:
            return Response("# no Redis: metrics are not collected\n", media_type=CONTENT_TYPE)
        return Response(render_metrics(rt.redis), media_type=CONTENT_TYPE)

    if settings.slack_enabled:
        # Bolt and the Slack SDK: only when Slack is configured
        from bot.slack.web import mount_slack

        mount_slack(app, rt)
    if settings.whatsapp_enabled:
        # pywa: only when WhatsApp is configured
        from bot.whatsapp.web import mount_whatsapp

        mount_whatsapp(app, rt)
    return app


def serve(settings: Settings, *, host: str, port: int, slack_socket_mode: bool = False) -> int:
    # uvicorn: the serve command only
    import uvicorn

    # first-start preparation (migrations, the sandbox's demo account): serve only, not the app
    from mediabrain.bootstrap import prepare

    check_config(settings)  # before prepare links anything
    rt = build_runtime(settings)
    if settings.use_sandbox and settings.meta_graph_url == "https://graph.facebook.com":
        rt.start_embedded_sandbox()
    prepare(rt)
    set_runtime(rt)
    app = create_app(settings, rt)
    if slack_socket_mode:
        # Socket Mode: only when asked for
        from bot.slack.socket import start_socket_mode

        start_socket_mode(rt)
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower(), access_log=False)
    return 0
