"""Slack's HTTP endpoints on the web app.

- ``POST /slack/events``: Events API, slash commands and interactivity (one
  Request URL for all three in the app manifest);
- ``GET /slack/install`` and ``GET /slack/oauth_redirect``: the multi-workspace
  install, when ``MEDIABRAIN_SLACK_CLIENT_ID`` / ``_SECRET`` are set.

Bolt's dispatch is synchronous (signature check, Redis, database): it runs in
the threadpool so the event loop keeps accepting requests.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.responses import Response
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool

from bot.slack.auth_check import start_auth_check
from bot.slack.events import build_bolt_app
from bot.slack.guard import refusal

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

#: Slack payloads are a few KB; refuse anything absurd before reading it.
MAX_BODY_BYTES = 1_000_000
EVENTS_PATH = "/slack/events"


def mount_slack(app: FastAPI, rt: Runtime) -> None:
    bolt = build_bolt_app(rt)
    app.state.slack = bolt
    if bolt.oauth_flow is None:  # one bot token: checked in the background, see auth_check
        auth = start_auth_check(bolt.client)
        app.state.health_checks.append(("slack", auth.health))
    secret = rt.settings.slack_signing_secret
    signing_secret = secret.get_secret_value() if secret else ""

    @app.post(EVENTS_PATH, include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        declared = request.headers.get("content-length", "0")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return Response(status_code=413)
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return Response(status_code=413)
        refused = refusal(request.headers, body, signing_secret)
        if refused is not None:
            return Response(status_code=refused)
        bolt_response = await run_in_threadpool(bolt.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    flow = bolt.oauth_flow
    if flow is None:
        logger.info("slack: single-workspace mode at %s", EVENTS_PATH)
        return

    @app.get(flow.install_path, include_in_schema=False)
    async def slack_install(request: Request) -> Response:
        bolt_request = to_bolt_request(request, b"")
        return to_starlette_response(
            await run_in_threadpool(flow.handle_installation, bolt_request)
        )

    @app.get(flow.redirect_uri_path, include_in_schema=False)
    async def slack_oauth_redirect(request: Request) -> Response:
        bolt_request = to_bolt_request(request, b"")
        return to_starlette_response(await run_in_threadpool(flow.handle_callback, bolt_request))

    logger.info("slack: multi-workspace mode, install at %s", flow.install_path)
