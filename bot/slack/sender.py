"""The worker's way out to Slack: Reply → Block Kit → chat.postMessage / chat.update.

- ``send`` posts into the channel (and thread) and returns ``"<channel>:<ts>"``,
  the ref ``update`` accepts: progress messages and decided approval cards are
  edited in place with chat.update.
- Charts are uploaded with files_upload_v2 next to the message.
- When the bot cannot post in a channel (a slash command where it is not a
  member), the answer goes through the command's ``response_url`` instead;
  errors answering a slash command, and errors or notices answering a click
  ("already decided"), go there too, visible only to the asker.
- The token is the team's OAuth installation when there is one, else
  ``MEDIABRAIN_SLACK_BOT_TOKEN``.
- A turn's reply posted with chat.postMessage carries message metadata
  (``event_type`` ``mediabrain_reply``, ``event_payload`` ``{"event": <pk>}``), which
  ``conversations.history`` / ``replies`` return with ``include_all_metadata``: the
  reconciler asks :meth:`SlackSender.already_answered` before running again a turn
  whose worker died after Slack took its reply. A reply through a ``response_url``
  (ephemeral, or a channel the bot is not in) cannot be read back: "cannot tell".
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import MAX_BUTTONS, fallback_text, render
from bot.slack.client import call, error_code, web_client, webhook_client
from bot.slack.oauth import installation_store
from vocabulary import trace
from vocabulary.destinations import Destination
from vocabulary.i18n import translate
from vocabulary.outbox import Capabilities
from vocabulary.replies import Chart, Reply

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

#: Errors where chat.postMessage cannot reach the channel but a response_url can.
UNREACHABLE = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}
#: Errors where chat.update cannot edit the message but a response_url can.
NOT_EDITABLE = {"message_not_found", "cant_update_message", "channel_not_found", "not_in_channel"}
#: Replies only the asker should see (ephemeral, through the response_url), by what they did.
PRIVATE = {"command": ("error",), "action": ("error", "notice")}
#: The ref of a message posted through a response_url (edited through it too).
RESPONSE_URL_REF = "response_url"
#: The message metadata event type of a turn's reply (``event_payload``: ``{"event": pk}``).
REPLY_EVENT_TYPE = "mediabrain_reply"
#: How far back the reconciler reads a channel or thread for a tagged reply (one page):
#: it asks within minutes of the turn, when the reply is among the newest messages.
READ_BACK_LIMIT = 200

#: Slack edits messages in place (chat.update), takes an edit every 2 s comfortably,
#: and asks for a rejection's reason in a modal opened beside the click.
CAPABILITIES = Capabilities(
    edits_in_place=True,
    progress_interval=2.0,
    progress_steps=True,
    buttons_per_message=MAX_BUTTONS,
    asks_reason=True,
)


def _reply_metadata() -> dict[str, Any] | None:
    """The message metadata of a turn's reply leaving now (None for anything else)."""
    tag = trace.reply_tag()
    work = trace.current()
    if tag is None or work is None or work.event is None:
        return None
    return {"event_type": REPLY_EVENT_TYPE, "event_payload": {"event": work.event}}


class SlackNotConfigured(RuntimeError):
    """No bot token for this team: neither an OAuth installation nor MEDIABRAIN_SLACK_BOT_TOKEN."""


class SlackDeliveryError(RuntimeError):
    """Slack refused a message; the text says why in plain words (and Slack's error code)."""

    def __init__(self, what: str, code: str) -> None:
        super().__init__(f"Slack refused to {what}: {code}")
        self.code = code


class SlackSender:
    capabilities = CAPABILITIES

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self._store = installation_store(rt)
        self._clients: dict[str, WebClient] = {}
        self._lock = threading.Lock()

    # --- Sender protocol -------------------------------------------------------------
    def send(self, to: Destination, reply: Reply) -> str | None:
        text, blocks = fallback_text(reply), render(reply, to.language)
        response_url = to.hints.response_url
        if response_url and reply.kind in PRIVATE.get(to.hints.via, ()):
            self._respond(response_url, text, blocks, ephemeral=True)
            return None
        client = self._client(to)
        thread_ts = to.thread_id or None
        tag = _reply_metadata()
        try:
            posted = call(
                client.chat_postMessage,
                channel=self._open_dm(client, to.chat_id),
                text=text,
                blocks=blocks,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                **({"metadata": tag} if tag is not None else {}),
            )
        except SlackApiError as exc:
            code = error_code(exc)
            if code in UNREACHABLE and response_url:
                logger.info("slack: %s in %s, answering via response_url", code, to.chat_id)
                self._respond(response_url, text, blocks)
                return RESPONSE_URL_REF
            raise SlackDeliveryError("post the message", code) from exc
        channel, ts = posted["channel"], posted["ts"]
        if reply.chart is not None:
            self._upload_chart(client, channel, thread_ts, reply.chart, to.language)
        return f"{channel}:{ts}"

    def update(self, to: Destination, ref: str, reply: Reply) -> None:
        text, blocks = fallback_text(reply), render(reply, to.language)
        response_url = to.hints.response_url
        channel, sep, ts = ref.partition(":")
        if ref == RESPONSE_URL_REF or not sep:
            if not response_url:
                raise SlackDeliveryError("update the message", "no_response_url")
            self._respond(response_url, text, blocks, replace=True)
            return
        try:
            client = self._client(to)
            tag = _reply_metadata()
            call(
                client.chat_update,
                channel=channel,
                ts=ts,
                text=text,
                blocks=blocks,
                **({"metadata": tag} if tag is not None else {}),
            )
            if reply.chart is not None:  # a file cannot be edited into a message: its thread
                self._upload_chart(client, channel, to.thread_id or ts, reply.chart, to.language)
        except SlackApiError as exc:
            code = error_code(exc)
            if code in NOT_EDITABLE and response_url:
                logger.info("slack: cannot edit %s (%s), replacing via response_url", ref, code)
                self._respond(response_url, text, blocks, replace=True)
                return
            raise SlackDeliveryError("update the message", code) from exc

    def already_answered(self, to: Destination, event_pk: int) -> bool | None:
        """Is a reply tagged for ``event_pk`` in the chat (or its thread)? One read, only
        when settling a turn whose worker died.

        True when found. Not found: False, unless the reply may have gone where it
        cannot be read back (the event came with a ``response_url``: an ephemeral answer,
        or a channel the bot is not in), then None: cannot tell. A channel that cannot
        be read (not a member, no token) is None as well.
        """
        client = self._client(to)
        try:
            channel = self._open_dm(client, to.chat_id)
            if to.thread_id:
                page = call(
                    client.conversations_replies,
                    channel=channel,
                    ts=to.thread_id,
                    include_all_metadata=True,
                    limit=READ_BACK_LIMIT,
                )
            else:
                page = call(
                    client.conversations_history,
                    channel=channel,
                    include_all_metadata=True,
                    limit=READ_BACK_LIMIT,
                )
        except (SlackApiError, SlackDeliveryError) as exc:
            code = exc.code if isinstance(exc, SlackDeliveryError) else error_code(exc)
            logger.info("slack: cannot read back %s (%s)", to.chat_id, code)
            return None
        for message in page.get("messages") or []:
            metadata = message.get("metadata") or {}
            if (
                metadata.get("event_type") == REPLY_EVENT_TYPE
                and (metadata.get("event_payload") or {}).get("event") == event_pk
            ):
                return True
        return None if to.hints.response_url else False

    # --- internals -------------------------------------------------------------------
    def _open_dm(self, client: WebClient, chat_id: str) -> str:
        """A person (``U…``/``W…``, e.g. an admin who never wrote to us) → our DM with them."""
        if not chat_id.startswith(("U", "W")):
            return chat_id
        try:
            opened = call(client.conversations_open, users=chat_id)
        except SlackApiError as exc:
            raise SlackDeliveryError("open a DM", error_code(exc)) from exc
        return str(opened["channel"]["id"])

    def token(self, to: Destination) -> str:
        team_id = to.hints.team_id
        if self._store is not None and (team_id or to.workspace_id is not None):
            token = self._store.bot_token(team_id=team_id, workspace_id=to.workspace_id)
            if token:
                return token
        if self.rt.settings.slack_bot_token is not None:
            return self.rt.settings.slack_bot_token.get_secret_value()
        raise SlackNotConfigured(
            f"no Slack bot token for team {team_id or '?'}: install the app "
            "(/slack/install) or set MEDIABRAIN_SLACK_BOT_TOKEN"
        )

    def _client(self, to: Destination) -> WebClient:
        token = self.token(to)
        with self._lock:
            client = self._clients.get(token)
            if client is None:
                client = self._clients[token] = web_client(self.rt.settings, token)
            return client

    def _upload_chart(
        self, client: WebClient, channel: str, thread_ts: str | None, chart: Chart, language: str
    ) -> None:
        try:
            call(
                client.files_upload_v2,
                channel=channel,
                thread_ts=thread_ts,
                file=chart.png,
                filename=chart.filename,
                title=chart.title,
                alt_txt=chart.alt or chart.title,
            )
        except SlackApiError as exc:
            code = error_code(exc)
            logger.warning("slack: chart upload to %s failed: %s", channel, code)
            note = translate("slack.chart_failed", language, error=code)
            try:
                call(client.chat_postMessage, channel=channel, text=note, thread_ts=thread_ts)
            except SlackApiError:
                logger.warning("slack: could not tell %s about the chart either", channel)

    def _respond(
        self,
        url: str,
        text: str,
        blocks: list[dict[str, Any]],
        *,
        replace: bool = False,
        ephemeral: bool = False,
    ) -> None:
        response = webhook_client(url).send(
            text=text,
            blocks=blocks,
            response_type="ephemeral" if ephemeral else "in_channel",
            replace_original=replace,
        )
        if response.status_code != 200:
            raise SlackDeliveryError(
                "accept the answer", f"response_url http_{response.status_code}: {response.body}"
            )

    def __repr__(self) -> str:
        return f"SlackSender(api={self.rt.settings.slack_api_url!r})"
