"""The Bolt app: listeners that only translate, ``accept`` and ack.

Bolt verifies every request's signature (5-minute window) before a listener
runs. A listener builds the :class:`~vocabulary.inbound.Inbound`, calls
:func:`bot.core.ingest.accept` (Redis SET NX + the database's unique key +
enqueue on "high") and acks: milliseconds, nothing slow in the web process.
``process_before_response=True``: nothing runs lazily after the ack.

Slack retries (``X-Slack-Retry-Num``) carry the same event id and are
answered as duplicates by ``accept``; a retry of an event we could not queue
(Redis was down) is queued now. When the queue is down, the user gets an
ephemeral plain-language error; nothing is dropped silently.
"""

from __future__ import annotations

import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext, BoltRequest, Respond
from slack_sdk import WebClient

from bot.core.identity import reply_language
from bot.core.ingest import admit
from bot.slack import messages as _messages  # noqa: F401  (registers the channel's messages)
from bot.slack import reason
from bot.slack.client import web_client
from bot.slack.inbound import from_action, from_command, from_event
from bot.slack.oauth import oauth_enabled, oauth_settings
from bot.slack.revocation import TOKENS_REVOKED, UNINSTALLED, revoke_team
from bot.slack.tenancy import known_team, team_policy
from storage.clock import utcnow
from vocabulary.i18n import translate
from vocabulary.inbound import Inbound

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

#: How long a person's language is trusted for acks, and how many people are remembered.
LANGUAGE_TTL_SECONDS = 60.0
LANGUAGE_CACHE_SIZE = 10_000

#: Error notices after the ack (a Web API call must not delay it).
_notices = ThreadPoolExecutor(max_workers=2, thread_name_prefix="slack-notice")


def build_bolt_app(rt: Runtime, *, socket_mode: bool = False) -> App:
    """The Bolt app on the configured Web API URL: OAuth (multi-workspace) or one bot token."""
    settings = rt.settings
    signing_secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    common: dict[str, Any] = {
        "name": "mediabrain",
        "signing_secret": signing_secret,
        "process_before_response": True,
        "request_verification_enabled": not socket_mode,
        "logger": logging.getLogger("slack_bolt.mediabrain"),
    }
    if oauth_enabled(settings):
        flow_settings, authorize = oauth_settings(rt)
        app = App(
            client=web_client(settings),
            oauth_settings=flow_settings,
            authorize=authorize,  # type: ignore[arg-type]  # bolt takes an Authorize as such
            installation_store_bot_only=True,
            user_facing_authorize_error_message=translate(
                "slack.install.no_workspace", settings.language
            ),
            **common,
        )
    else:
        if settings.slack_bot_token is None:
            raise ValueError("Slack needs MEDIABRAIN_SLACK_BOT_TOKEN or OAuth client credentials")
        token = settings.slack_bot_token.get_secret_value()
        # auth.test runs in the background (bot.slack.auth_check): an unreachable Slack must
        # not stop the web app (WhatsApp, /healthz); Bolt checks again on the first request.
        app = App(client=web_client(settings, token), token_verification_enabled=False, **common)
    SlackListeners(rt).register(app)
    return app


class SlackListeners:
    """Slash commands, mentions, DMs and button clicks → ``accept`` → ack."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.language = rt.settings.language
        self.policy = team_policy(rt.settings)
        self._languages: dict[tuple[str, str, str, str], tuple[float, str]] = {}

    def register(self, app: App) -> None:
        app.command(re.compile(r"^/"))(self.on_command)
        app.event("app_mention")(self.on_event)
        app.event("message")(self.on_event)
        app.event("app_uninstalled")(self.on_uninstalled)
        app.event("tokens_revoked")(self.on_tokens_revoked)
        app.action(re.compile(r".*"))(self.on_action)
        app.view(reason.CALLBACK_ID)(self.on_reason)

    def t(self, key: str, language: str | None = None, **params: Any) -> str:
        return translate(key, language or self.language, **params)

    def _tenant(self, inbound: Inbound, context: BoltContext) -> Inbound | None:
        """``inbound`` with the team of the installation that received it; None to refuse.

        The team is Bolt's authorize result (the installation's token, checked by
        ``auth.test``), never ``event.team`` or the user's team. Refused: a request
        naming another team than the token's (one bot token, several teams), a user
        whose team is not the installation's (another organisation in a Slack Connect
        channel, or a crafted ``event.team``), a team with no workspace.
        """
        result = context.authorize_result
        verified = (result.team_id if result is not None else None) or ""
        named = context.team_id or ""
        user_team = inbound.team_id  # the event's or the user's team, as the payload says
        if not verified or any(team and team != verified for team in (named, user_team)):
            logger.warning(
                "slack %s: refused, installation team %s, request team %s, user team %s",
                inbound.event_id,
                verified or "?",
                named or "?",
                user_team or "?",
            )
            return None
        try:  # the web process's bounded engine: a stalled database cannot hold the ack
            known = (self.rt.ack_db or self.rt.db).bounded(
                lambda session: known_team(session, self.policy, verified)
            )
        except Exception:
            logger.warning("slack %s: team lookup failed", inbound.event_id, exc_info=True)
            known = True  # the worker decides again; the queue-down path tells the user
        if not known:
            logger.warning(
                "slack %s: team %s has no workspace, refused", inbound.event_id, verified
            )
            return None
        return replace(inbound, team_id=verified)

    def _language(self, inbound: Inbound) -> str:
        """The person's language for the ack and errors: read once a minute per person and
        chat (acks stay cheap under load), the default when the database is the trouble."""
        key = (inbound.user_id, inbound.team_id or "", inbound.chat_id, inbound.thread_id or "")
        now = time.monotonic()
        cached = self._languages.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            language = (self.rt.ack_db or self.rt.db).bounded(
                lambda session: reply_language(session, inbound, self.language)
            )
        except Exception:
            logger.warning("slack %s: language lookup failed", inbound.event_id, exc_info=True)
            return self.language
        if len(self._languages) >= LANGUAGE_CACHE_SIZE:
            self._languages.clear()
        self._languages[key] = (now + LANGUAGE_TTL_SECONDS, language)
        return language

    def _admit(self, inbound: Inbound, retry_num: str | None) -> str | None:
        """``admit`` it; the words for the user when it was refused, else None.

        "" when dropped after the person was told once (say nothing): by the rate limit, or
        refused again while the queue is away (Slack's retry of a refused event).
        """
        admission = admit(
            self.rt, inbound, language=self._language, failed_key="slack.not_registered"
        )
        if retry_num and admission.status != "refused":
            logger.info("slack %s: retry #%s -> %s", inbound.event_id, retry_num, admission.status)
        if admission.status in ("limited", "refused") and admission.explanation is None:
            return ""
        return admission.explanation

    # --- listeners --------------------------------------------------------------------
    def on_command(
        self, ack: Ack, command: dict[str, Any], request: BoltRequest, context: BoltContext
    ) -> None:
        inbound = self._tenant(from_command(command, utcnow()), context)
        if inbound is None:
            ack(text=self.t("slack.install.no_workspace"), response_type="ephemeral")
            return
        failure = self._admit(inbound, _retry_num(request))
        if failure == "":  # over the rate limit, already told: no "got it" for a dropped command
            ack()
            return
        if failure:
            ack(text=failure, response_type="ephemeral")
            return
        language = self._language(inbound)
        ack(text=self.t("slack.ack", language, command=inbound.reply_hints.command))

    def on_event(
        self,
        ack: Ack,
        body: dict[str, Any],
        client: WebClient,
        request: BoltRequest,
        context: BoltContext,
    ) -> None:
        inbound = from_event(body, utcnow())
        if inbound is not None:
            inbound = self._tenant(inbound, context)
        if inbound is None:
            ack()
            return
        failure = self._admit(inbound, _retry_num(request))
        ack()
        if failure:
            _notices.submit(
                _post_ephemeral,
                client,
                channel=inbound.chat_id,
                user=inbound.user_id,
                text=failure,
                thread_ts=inbound.thread_id or None,
            )

    def on_action(
        self,
        ack: Ack,
        body: dict[str, Any],
        respond: Respond,
        client: WebClient,
        request: BoltRequest,
        context: BoltContext,
    ) -> None:
        ack()
        inbound = from_action(body, utcnow())
        if inbound is not None:
            inbound = self._tenant(inbound, context)
        if inbound is None:
            return
        failure = self._admit(inbound, _retry_num(request))
        if failure:
            _notices.submit(_respond, respond, failure)
        elif (
            inbound.action is not None
            and inbound.action.name == reason.REJECT_ACTION
            and body.get("trigger_id")
        ):
            # Beside the decision (the worker's), ask why: the trigger is valid for 3 s.
            view = reason.reason_modal(inbound.action.value, inbound, self._language(inbound))
            _notices.submit(_open_view, client, trigger_id=body["trigger_id"], view=view)

    def on_uninstalled(self, ack: Ack, context: BoltContext) -> None:
        """The team removed the app: its tokens go, its pushes stop (see ``revocation``)."""
        if context.team_id:
            revoke_team(self.rt, context.team_id, action=UNINSTALLED)
        ack()

    def on_tokens_revoked(self, ack: Ack, event: dict[str, Any], context: BoltContext) -> None:
        """Only bot tokens matter: we keep no user tokens."""
        bots = ((event.get("tokens") or {}).get("bot")) or []
        if bots and context.team_id:
            revoke_team(self.rt, context.team_id, action=TOKENS_REVOKED)
        ack()

    def on_reason(self, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()  # closes the modal; the reason goes the usual way
        inbound = reason.from_submission(body, utcnow())
        if inbound is not None:
            inbound = self._tenant(inbound, context)
        if inbound is not None:
            self._admit(inbound, None)


def _retry_num(request: BoltRequest) -> str | None:
    """Slack's ``X-Slack-Retry-Num`` header (HTTP mode only)."""
    values = request.headers.get("x-slack-retry-num") or []
    return values[0] if values else None


def _post_ephemeral(client: WebClient, **kwargs: Any) -> None:
    try:
        client.chat_postEphemeral(**kwargs)
    except Exception:
        logger.exception("slack: could not post the error notice to %s", kwargs.get("channel"))


def _open_view(client: WebClient, **kwargs: Any) -> None:
    try:
        client.views_open(**kwargs)
    except Exception:
        logger.exception("slack: could not open the rejection reason modal")


def _respond(respond: Respond, text: str) -> None:
    try:
        respond(text=text, response_type="ephemeral", replace_original=False)
    except Exception:
        logger.exception("slack: could not answer through response_url")
