"""Slack's ``auth.test`` at start, in the background (issue 15, item 9).

Bolt checks a bot token eagerly when the app is built, and an unreachable Slack then stopped
``mediabrain serve`` with a traceback, taking WhatsApp down with it. The web app now starts
at once; this checker calls ``auth.test`` in a daemon thread, retrying with back-off, and
``/healthz`` says ``slack: degraded`` until Slack answers (``refused`` for a refused token).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)

FIRST_DELAY_SECONDS = 2.0
MAX_DELAY_SECONDS = 300.0


@dataclass
class SlackAuth:
    """What ``/healthz`` reports for Slack: ``pending``, ``ok``, ``degraded`` or ``error``."""

    state: str = "pending"
    detail: str = ""
    attempts: int = 0
    _done: threading.Event = field(default_factory=threading.Event, repr=False)

    def wait(self, timeout: float) -> bool:
        """Whether the check finished (ok or refused) within ``timeout`` seconds."""
        return self._done.wait(timeout)

    def health(self) -> str:
        """For ``/healthz``: a refused token is ``refused`` (the rest of the app still serves)."""
        return {"pending": "degraded", "error": "refused"}.get(self.state, self.state)


def start_auth_check(
    client: WebClient,
    *,
    first_delay: float = FIRST_DELAY_SECONDS,
    max_delay: float = MAX_DELAY_SECONDS,
    sleep: Callable[[float], bool] | None = None,
) -> SlackAuth:
    """Check the bot token until Slack answers; never raises, never blocks the caller."""
    status = SlackAuth()
    stop = threading.Event()
    wait = sleep or stop.wait

    def run() -> None:
        delay = first_delay
        while True:
            status.attempts += 1
            try:
                response = client.auth_test()
            except SlackApiError as exc:  # Slack answered: the token is refused, no retry helps
                status.state, status.detail = "error", str(exc.response.get("error", ""))
                logger.error(
                    "slack: auth.test refused the bot token (%s); check MEDIABRAIN_SLACK_BOT_TOKEN",
                    status.detail,
                )
                status._done.set()
                return
            except Exception as exc:  # unreachable, DNS, TLS: Slack may come back
                status.state, status.detail = "degraded", type(exc).__name__
                logger.warning(
                    "slack: auth.test unreachable (%s), retry in %.0fs; WhatsApp and the rest "
                    "keep working",
                    type(exc).__name__,
                    delay,
                )
                wait(delay)
                delay = min(delay * 2, max_delay)
                continue
            status.state, status.detail = "ok", str(response.get("team", ""))
            logger.info("slack: bot token checked (team %s)", status.detail)
            status._done.set()
            return

    threading.Thread(target=run, name="slack-auth-test", daemon=True).start()
    return status
