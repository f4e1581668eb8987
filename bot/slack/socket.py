"""Socket Mode for local development: ``mediabrain serve --slack-socket-mode``.

The same listeners as HTTP mode, over a WebSocket the app opens to Slack
(``apps.connections.open`` with ``MEDIABRAIN_SLACK_APP_TOKEN``), so no public
URL is needed. Signatures are not used on this path: the app token
authenticates the connection.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.slack.client import web_client
from bot.slack.events import build_bolt_app

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)


def start_socket_mode(rt: Runtime) -> SocketModeHandler:
    """Connect in background threads and return the handler (``.close()`` to stop)."""
    settings = rt.settings
    if settings.slack_app_token is None:
        raise ValueError("Socket Mode needs MEDIABRAIN_SLACK_APP_TOKEN (an xapp- token)")
    app = build_bolt_app(rt, socket_mode=True)
    handler = SocketModeHandler(
        app,
        app_token=settings.slack_app_token.get_secret_value(),
        web_client=web_client(settings),
    )
    handler.connect()
    logger.info("slack: connected over Socket Mode")
    return handler
