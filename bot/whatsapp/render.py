"""Reply → WhatsApp messages, as pure functions (no client, no I/O).

WhatsApp's shapes and limits decide the rendering: text bodies up to 4096
characters, interactive bodies and image captions up to 1024, at most three
reply buttons with titles of at most 20 characters, otherwise a list message
(up to 10 rows, titles of 24, descriptions of 72). Outside the 24-hour window
only approved templates can be sent: :func:`template_for` fills their
parameters from ``Reply.data``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from bot.whatsapp import messages as _messages  # noqa: F401  (registers the channel's messages)
from bot.whatsapp.callbacks import LIST_ROW_ID_LIMIT, REPLY_BUTTON_ID_LIMIT, encode_action
from vocabulary.i18n import translate
from vocabulary.replies import Button, Reply

logger = logging.getLogger(__name__)

TEXT_LIMIT = 4096
INTERACTIVE_BODY_LIMIT = 1024
CAPTION_LIMIT = 1024
MAX_REPLY_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20
MAX_LIST_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
LIST_BUTTON_LIMIT = 20
#: A template body parameter: no newlines, tabs or runs of spaces, and the whole body stays < 1024.
TEMPLATE_PARAM_LIMIT = 900

#: The report template's body parameters, in order ({{1}}..{{6}}); see docs/whatsapp.md.
REPORT_TEMPLATE_FIELDS = ("account", "period", "spend", "roas", "conversions", "cpa")

OutgoingKind = Literal["text", "buttons", "list", "image", "template"]


@dataclass(frozen=True)
class Choice:
    """One button or list row: what the user sees and the callback data it sends back."""

    title: str
    data: str
    description: str | None = None


@dataclass(frozen=True)
class Outgoing:
    """One WhatsApp message to send, independent of the client that sends it."""

    kind: OutgoingKind
    body: str = ""  # text, interactive body or image caption
    choices: tuple[Choice, ...] = ()  # reply buttons (kind buttons/image) or list rows (kind list)
    list_button: str = ""
    png: bytes | None = field(default=None, repr=False)  # image not uploaded yet
    media_id: str | None = None  # image uploaded already
    filename: str = "chart.png"
    template: str = ""
    language: str = ""
    params: tuple[str, ...] = ()  # template body parameters
    payloads: tuple[str, ...] = ()  # template quick-reply payloads, by button index

    @property
    def mergeable(self) -> bool:
        """Plain text that can be joined with the next plain text (pacing merges them)."""
        return self.kind == "text"

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for the pacing queue and delivery records (an image must be uploaded)."""
        if self.png is not None:
            raise ValueError("upload the image before serializing the message")
        return {
            "kind": self.kind,
            "body": self.body,
            "choices": [[c.title, c.data, c.description] for c in self.choices],
            "list_button": self.list_button,
            "media_id": self.media_id,
            "filename": self.filename,
            "template": self.template,
            "language": self.language,
            "params": list(self.params),
            "payloads": list(self.payloads),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outgoing:
        return cls(
            kind=data["kind"],
            body=data.get("body", ""),
            choices=tuple(Choice(t, d, desc) for t, d, desc in data.get("choices", [])),
            list_button=data.get("list_button", ""),
            media_id=data.get("media_id"),
            filename=data.get("filename", "chart.png"),
            template=data.get("template", ""),
            language=data.get("language", ""),
            params=tuple(data.get("params", [])),
            payloads=tuple(data.get("payloads", [])),
        )


@dataclass(frozen=True)
class TemplateNames:
    """The approved templates (names from settings) and their language code, e.g. ``pt_BR``."""

    report: str
    alert: str
    approval: str
    language: str


# --- text ------------------------------------------------------------------------------

_SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)\|([^>]+)>")
_BARE_LINK = re.compile(r"<(https?://[^|>\s]+)>")
_DOUBLE_BOLD = re.compile(r"\*\*(.+?)\*\*")


def whatsapp_text(reply: Reply) -> str:
    """The reply's complete text in WhatsApp's markup: *bold*, _italic_, values of key figures bold."""
    text = _SLACK_LINK.sub(r"\2 (\1)", reply.text)
    text = _BARE_LINK.sub(r"\1", text)
    text = _DOUBLE_BOLD.sub(r"*\1*", text)
    if reply.figures:
        text = _bold_figures(text, reply)
    return text.strip()


def _bold_figures(text: str, reply: Reply) -> str:
    """Make key-figure values stand out: "• Investimento: *R$ 1.234,56* (+12,3%)"."""
    plain = {}
    for figure in reply.figures:
        change = f" ({figure.change})" if figure.change else ""
        plain[f"• {figure.label}: {figure.value}{change}"] = (
            f"• {figure.label}: *{figure.value}*{change}"
        )
    return "\n".join(plain.get(line, line) for line in text.split("\n"))


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at line breaks when possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single overlong line: hard cut
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return [piece for piece in pieces if piece.strip()] or ([text[:limit]] if text else [])


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def merge_texts(items: list[Outgoing], limit: int = TEXT_LIMIT) -> list[Outgoing]:
    """Join consecutive plain texts into as few messages as fit (fewer messages, same order)."""
    merged: list[Outgoing] = []
    for item in items:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.mergeable
            and item.mergeable
            and len(previous.body) + 2 + len(item.body) <= limit
        ):
            merged[-1] = replace(previous, body=f"{previous.body}\n\n{item.body}")
        else:
            merged.append(item)
    return merged


# --- choices -----------------------------------------------------------------------------


def _choices(buttons: tuple[Button, ...], *, as_list: bool) -> tuple[Choice, ...]:
    limit = LIST_ROW_ID_LIMIT if as_list else REPLY_BUTTON_ID_LIMIT
    seen: set[str] = set()
    out: list[Choice] = []
    for button in buttons:
        data = encode_action(button.action, limit=limit)
        if data is None:
            logger.warning(
                "whatsapp: button %r dropped: its action does not fit %d characters",
                button.label,
                limit,
            )
            continue
        if data in seen:
            continue
        seen.add(data)
        if as_list:
            label = " ".join(button.label.split())
            description = (
                _shorten(label, ROW_DESCRIPTION_LIMIT) if len(label) > ROW_TITLE_LIMIT else None
            )
            out.append(Choice(_shorten(label, ROW_TITLE_LIMIT), data, description))
        else:
            out.append(Choice(button.label, data))
    if as_list and len(out) > MAX_LIST_ROWS:
        logger.warning("whatsapp: %d choices, only the first %d shown", len(out), MAX_LIST_ROWS)
        out = out[:MAX_LIST_ROWS]
    return tuple(out)


def fits_reply_buttons(buttons: tuple[Button, ...]) -> bool:
    return 0 < len(buttons) <= MAX_REPLY_BUTTONS and all(
        0 < len(b.label.strip()) <= BUTTON_TITLE_LIMIT for b in buttons
    )


# --- free-form ---------------------------------------------------------------------------


def render_reply(reply: Reply, language: str) -> list[Outgoing]:
    """The WhatsApp messages (in order) that say ``reply`` inside the 24-hour window."""
    text = whatsapp_text(reply)
    style: Literal["buttons", "list"] | None = None
    choices: tuple[Choice, ...] = ()
    if reply.buttons:
        style = "buttons" if fits_reply_buttons(reply.buttons) else "list"
        choices = _choices(reply.buttons, as_list=style == "list")
        if not choices:
            style = None
    out: list[Outgoing] = []
    if reply.chart is not None:
        if len(text) <= CAPTION_LIMIT and style != "list":
            out.append(
                Outgoing(
                    "image",
                    body=text,
                    choices=choices if style == "buttons" else (),
                    png=reply.chart.png,
                    filename=reply.chart.filename,
                )
            )
            return out
        out.append(
            Outgoing(
                "image",
                body=_shorten(reply.chart.title or reply.title or "", CAPTION_LIMIT),
                png=reply.chart.png,
                filename=reply.chart.filename,
            )
        )
    if style is None:
        out.extend(Outgoing("text", body=piece) for piece in split_text(text))
        return out
    if len(text) <= INTERACTIVE_BODY_LIMIT:
        body = text
    else:
        out.extend(Outgoing("text", body=piece) for piece in split_text(text))
        body = _shorten(
            reply.title or translate("whatsapp.choose", language), INTERACTIVE_BODY_LIMIT
        )
    if style == "buttons":
        out.append(Outgoing("buttons", body=body, choices=choices))
    else:
        button = _shorten(translate("whatsapp.list_button", language), LIST_BUTTON_LIMIT)
        out.append(Outgoing("list", body=body, choices=choices, list_button=button))
    return out


# --- templates (outside the window) ----------------------------------------------------------


def template_param(value: object, limit: int = TEMPLATE_PARAM_LIMIT) -> str:
    """A value WhatsApp accepts as a template parameter: one line, no tabs or long space runs."""
    lines = [line.strip().lstrip("•-").strip() for line in str(value).splitlines()]
    text = " · ".join(line for line in lines if line)
    text = re.sub(r"\s+", " ", text).strip()
    return _shorten(text, limit) if text else "—"


def summary(reply: Reply) -> str:
    """The reply as one template-safe line, title first."""
    text = whatsapp_text(reply)
    if reply.title and not text.lstrip("*").startswith(reply.title):
        text = f"*{reply.title}*\n{text}"
    return template_param(text)


def template_for(reply: Reply, names: TemplateNames) -> Outgoing:
    """The approved template carrying ``reply`` outside the window.

    Reports fill the report template's six parameters from ``Reply.data``;
    approval requests fill the approval template's summary and its quick-reply
    payloads (so Approve / Reject still work); anything else is an alert.
    """
    data = reply.data or {}
    if reply.kind == "report" and all(
        data.get(f) not in (None, "") for f in REPORT_TEMPLATE_FIELDS
    ):
        params = tuple(template_param(data[f], 200) for f in REPORT_TEMPLATE_FIELDS)
        return Outgoing("template", template=names.report, language=names.language, params=params)
    if reply.kind == "approval":
        payloads = tuple(
            data_ for data_ in (encode_action(b.action) for b in reply.buttons) if data_ is not None
        )
        return Outgoing(
            "template",
            template=names.approval,
            language=names.language,
            params=(summary(reply),),
            payloads=payloads,
        )
    return Outgoing(
        "template", template=names.alert, language=names.language, params=(summary(reply),)
    )
