"""The soak's people: what they send (signed Slack and WhatsApp webhooks) and what they get back.

Every unique message has its own chat, so each reply the fake Slack and WhatsApp APIs
record is attributed to exactly one message:

- a Slack slash command or an ask for a change: its own channel (``C…``) and
  ``response_url`` key; an Approve click happens in the channel of the card it
  clicks, so replies there after the click belong to the click (a card with an
  Approve button always belongs to the ask);
- a WhatsApp text or button reply: its own linked number.

A re-sent duplicate is the same body (same trigger id / ``wamid``), re-signed now,
as Slack and Meta retry. "Answered" is any reply that is not a progress note
(``⏳``); "duplicated" is the same reply text twice for one message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

SLACK_SECRET = "soak-signing-secret"
SLACK_TOKEN = "xoxb-soak-token"
SLACK_PATH = "/slack/events"
WHATSAPP_PATH = "/whatsapp/webhook"
#: What the simulated people send, by kind (the ask/click pairs take idle campaigns and ready cards).
MIX = {
    "slack_cmd": 0.30,
    "slack_ask": 0.08,
    "slack_click": 0.08,
    "wa_text": 0.34,
    "wa_button": 0.20,
}
SLACK_COMMANDS = ("help", "campanhas", "uso")
WHATSAPP_TEXTS = ("ajuda", "campanhas", "uso")
WHATSAPP_BUTTONS = (("command|campanhas", "Campanhas"), ("command|uso", "Uso"))


@dataclass
class Reply:
    at: float
    method: str
    text: str


@dataclass
class Campaign:
    id: str
    name: str
    status: str  # what the sandbox says: ACTIVE or PAUSED
    busy: bool = False
    ask: Message | None = None
    click: Message | None = None


@dataclass
class Message:
    index: int
    kind: str
    path: str
    body: bytes
    slack: bool
    chat: str  # the Slack channel or the WhatsApp number
    campaign: Campaign | None = None
    card_ts: str = ""  # an ask: its card; a click: the card clicked
    pair: int = -1  # an ask and its click: the operator and the approver of this number
    sends: int = 0
    first_sent: float | None = None
    accepted_at: float | None = None  # the end of the first 200 ack
    acks: list[float] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    ack_texts: list[str] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)

    def answers(self) -> list[Reply]:
        return [r for r in self.replies if r.text and not r.text.lstrip().startswith("⏳")]

    def duplicated(self) -> bool:
        """The same answer twice (an edit of the same message is not a new answer)."""
        texts = [r.text for r in self.answers() if r.method != "chat.update"]
        return len(texts) != len(set(texts))

    def first_answer(self) -> float | None:
        answers = self.answers()
        return min(r.at for r in answers) if answers else None


class People:
    """Makes the unique messages and attributes every reply to one of them."""

    def __init__(self, slack_response_base: str, campaigns: list[Campaign], seed: int) -> None:
        self.rng = random.Random(seed)
        self.response_base = slack_response_base
        self.campaigns = campaigns
        self.messages: list[Message] = []
        self.by_chat: dict[str, list[Message]] = defaultdict(list)
        self.ready_cards: list[tuple[Message, dict[str, Any]]] = []
        self.lock = threading.Lock()
        self._card_cursor = 0
        self.pairs = 0
        self.refusal_texts: set[str] = set()

    # --- making messages ----------------------------------------------------------------
    def new(self) -> Message:
        with self.lock:
            kind = self.rng.choices(list(MIX), weights=list(MIX.values()))[0]
            message = self._make(kind) or self._make("slack_cmd")
            assert message is not None
            self.messages.append(message)
            self.by_chat[message.chat].append(message)
            return message

    def _make(self, kind: str) -> Message | None:
        from tests.bot.slack import payloads as slack
        from tests.bot.whatsapp import payloads as wa

        index = len(self.messages)
        if kind == "slack_cmd":
            channel = f"C{index:07d}"
            body, _ = slack.slash_command(
                self.rng.choice(SLACK_COMMANDS),
                response_url=f"{self.response_base}m{index}",
                user_id=f"UVW{index:07d}",
                user_name=f"viewer{index}",
                channel_id=channel,
                trigger_id=f"soak.{index}",
            )
            return Message(index, kind, SLACK_PATH, body.encode(), True, channel)
        if kind == "slack_ask":
            idle = [c for c in self.campaigns if not c.busy]
            if not idle:
                return None
            campaign = self.rng.choice(idle)
            campaign.busy = True
            verb = "pausar" if campaign.status == "ACTIVE" else "ativar"
            channel = f"C{index:07d}"
            body, _ = slack.slash_command(
                f"{verb} a campanha {campaign.name}",
                response_url=f"{self.response_base}m{index}",
                user_id=operator(self.pairs),
                user_name=f"op{self.pairs}",
                channel_id=channel,
                trigger_id=f"soak.{index}",
            )
            campaign.ask = Message(
                index, kind, SLACK_PATH, body.encode(), True, channel, campaign, pair=self.pairs
            )
            self.pairs += 1
            return campaign.ask
        if kind == "slack_click":
            if not self.ready_cards:
                return None
            ask, card = self.ready_cards.pop(0)
            approve = next(b for b in slack.buttons(card) if b["action_id"] == "approval.approve")
            body, _ = slack.block_action(
                approve["action_id"],
                approve["value"],
                message=card,
                response_url=f"{self.response_base}m{index}",
                user_id=approver(ask.pair),
                user_name=f"ap{ask.pair}",
                trigger_id=f"soak.{index}",
            )
            click = Message(
                index,
                kind,
                SLACK_PATH,
                body.encode(),
                True,
                ask.chat,
                ask.campaign,
                card_ts=str(card["ts"]),
            )
            if ask.campaign is not None:
                ask.campaign.click = click
            return click
        number = whatsapp_number(index)
        if kind == "wa_text":
            payload = wa.text(
                number, self.rng.choice(WHATSAPP_TEXTS), message_id=f"wamid.SOAK{index}"
            )
        else:
            data, title = self.rng.choice(WHATSAPP_BUTTONS)
            payload = wa.button_click(number, data, title, message_id=f"wamid.SOAK{index}")
        return Message(index, kind, WHATSAPP_PATH, json.dumps(payload).encode(), False, number)

    def duplicate(self) -> Message | None:
        """A message already sent, as a platform's retry (one of the last 200)."""
        with self.lock:
            sent = [m for m in self.messages[-200:] if m.sends]
            return self.rng.choice(sent) if sent else None

    # --- replies --------------------------------------------------------------------------
    def on_slack(self, call: Any) -> None:
        method = call.method
        if method == "response_url":
            index = int(call.key[1:]) if call.key.startswith("m") else -1
            with self.lock:
                target = self.messages[index] if 0 <= index < len(self.messages) else None
            if target is not None:
                text = str(call.params.get("text") or "")
                target.replies.append(Reply(call.at, method, text))
            return
        if method not in ("chat.postMessage", "chat.update"):
            return
        channel = str(call.params.get("channel") or "")
        text = str(call.params.get("text") or "")
        is_card = "approval.approve" in str(call.params.get("blocks") or "")
        with self.lock:
            candidates = self.by_chat.get(channel, [])
            target = None
            for message in candidates:
                if is_card and method == "chat.postMessage":
                    if message.kind == "slack_ask":
                        target = message
                    continue
                if message.first_sent is not None and message.first_sent <= call.at:
                    target = message
        if target is not None:
            target.replies.append(Reply(call.at, method, text))

    def on_whatsapp(self, sent: Any) -> None:
        with self.lock:
            candidates = self.by_chat.get(sent.to, [])
        if candidates:
            candidates[-1].replies.append(Reply(sent.at, "messages", sent.text))

    def watch_cards(self, fake_slack: Any) -> None:
        """New approval cards become clickable; decided cards free their campaign."""
        with fake_slack._lock:
            fresh = [dict(m) for m in fake_slack.messages[self._card_cursor :]]
            self._card_cursor = len(fake_slack.messages)
        for card in fresh:
            if "approval.approve" not in json.dumps(card.get("blocks") or []):
                continue
            with self.lock:
                asks = [m for m in self.by_chat.get(card["channel"], []) if m.kind == "slack_ask"]
                if asks and not asks[0].card_ts:
                    asks[0].card_ts = str(card["ts"])
                    self.ready_cards.append((asks[0], card))

    def free_campaigns(self, status_of: Any, settle_after: float = 3.0) -> None:
        """A campaign is asked about again once its ask went unanswered by a card, or its
        click was answered; its status is then read from the sandbox."""
        moment = now()
        for campaign in self.campaigns:
            ask, click = campaign.ask, campaign.click
            if not campaign.busy or ask is None:
                continue
            if click is not None:
                answered = click.first_answer()
            elif not ask.card_ts:
                answered = ask.first_answer()
            else:
                continue  # a card waits for its click
            if answered is None or moment - answered < settle_after:
                continue
            status = status_of(campaign.id)
            if status:
                campaign.status, campaign.busy = status, False
                campaign.ask = campaign.click = None


def operator(index: int) -> str:
    return f"UOP{index:07d}"


def approver(index: int) -> str:
    return f"UAP{index:07d}"


def whatsapp_number(index: int) -> str:
    return f"55119{index:08d}"


def sign(message: Message) -> dict[str, str]:
    """Headers for (re)sending ``message`` now."""
    if message.slack:
        from tests.bot.slack.payloads import FORM, signed_headers

        return signed_headers(SLACK_SECRET, message.body.decode(), content_type=FORM)
    from tests.bot.whatsapp.payloads import APP_SECRET

    digest = hmac.new(APP_SECRET.encode(), message.body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}


def now() -> float:
    return time.monotonic()
