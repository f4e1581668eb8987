"""Reply → Block Kit, as a pure function (no I/O), within Slack's documented limits.

Layout: header (title), body text, key figures as two-column fields with the
change against the previous period (▲/▼ and a green/red dot for good/bad
news), sections (best/worst), a monospace table, buttons (with a confirm
dialog on destructive ones) and a context line. Charts are uploaded
separately by the sender.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.slack import messages as _messages  # noqa: F401  (registers the channel's messages)
from vocabulary.i18n import translate
from vocabulary.replies import Button, KeyFigure, Reply, Table

Block = dict[str, Any]

# Slack's limits (https://docs.slack.dev/reference/block-kit/blocks).
MAX_BLOCKS = 50
MAX_HEADER = 150
MAX_SECTION = 3000
MAX_FIELDS = 10
MAX_FIELD = 2000
MAX_BUTTONS = 25
MAX_BUTTON_TEXT = 75
MAX_VALUE = 2000
MAX_CONFIRM_TEXT = 300
MAX_FALLBACK = 3900  # notification text; keep it well below chat.postMessage's 40k

#: Separator between an action name and a button's index, when names repeat in one reply.
ACTION_INDEX_SEP = "|"

_PREFIX = {
    "error": ":warning: ",
    "notice": ":information_source: ",
    "progress": ":hourglass_flowing_sand: ",
}
_ARROW = {"up": "▲", "down": "▼", "flat": "▬"}


def escape(text: str) -> str:
    """Slack control characters: ``&``, ``<`` and ``>`` must be escaped in any text object."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int = MAX_SECTION) -> dict[str, Any]:
    return {"type": "plain_text", "text": _truncate(text, limit) or " ", "emoji": True}


def mrkdwn(text: str, limit: int = MAX_SECTION) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": _truncate(text, limit) or " "}


def fallback_text(reply: Reply) -> str:
    """The notification / screen-reader text: the reply's complete plain text, escaped
    (Slack parses ``<!channel>`` and links in ``text`` as in any mrkdwn)."""
    return _truncate(escape(_PREFIX.get(reply.kind, "") + reply.text), MAX_FALLBACK)


def render(reply: Reply, language: str = "pt-BR") -> list[Block]:
    """The Block Kit blocks for one reply."""
    blocks: list[Block] = []
    if reply.title:
        blocks.append({"type": "header", "text": plain(reply.title, MAX_HEADER)})
    body = _body(reply)
    if body:
        blocks.extend(_sections(_PREFIX.get(reply.kind, "") + escape(body)))
    if reply.figures:
        blocks.extend(figure_blocks(reply.figures))
    for heading, text in reply.sections:
        blocks.extend(_sections(f"*{escape(heading)}*\n{escape(text)}"))
    if reply.table is not None and reply.table.rows:
        blocks.extend(table_blocks(reply.table))
    if not blocks:
        blocks.extend(_sections(escape(reply.text) or " "))
    tail: list[Block] = []
    if reply.buttons:
        tail.extend(button_blocks(reply.buttons, language))
    if reply.context:
        tail.append({"type": "context", "elements": [mrkdwn(escape(reply.context))]})
    room = MAX_BLOCKS - len(tail)
    if len(blocks) > room:  # the buttons and the context line always make it
        blocks = [*blocks[: room - 1], {"type": "section", "text": mrkdwn("…")}]
    blocks.extend(tail)
    return blocks


def _body(reply: Reply) -> str:
    """The reply's text, minus what the header, fields, sections and context already show.

    Reports and tables are fully structured (their text is only the fallback);
    other replies (approval cards, analyses, errors) keep the rest of their text.
    """
    if reply.kind == "report" or reply.table is not None:
        return ""
    shown = set()
    if reply.title:
        shown.add(f"*{reply.title}*")
    if reply.context:
        shown.add(f"_{reply.context}_")
    if reply.figures:
        shown.add(" · ".join(f"{figure.label}: {figure.value}" for figure in reply.figures))
    prefixes = []
    for heading, text in reply.sections:
        shown.update({heading, f"*{heading}*", f"_{heading}_"})
        shown.update(line.strip() for line in text.splitlines())
        prefixes.append(f"{heading}:")
    lines: list[str] = []
    for line in reply.text.splitlines():
        stripped = line.strip()
        if stripped and (stripped in shown or stripped.startswith(tuple(prefixes))):
            continue
        if not stripped and (not lines or not lines[-1].strip()):
            continue  # no runs of blank lines where parts were taken out
        lines.append(line)
    return "\n".join(lines).strip()


def _sections(text: str) -> list[Block]:
    """Section blocks of at most 3000 characters, split on line boundaries."""
    return [{"type": "section", "text": mrkdwn(chunk)} for chunk in _chunks(text, MAX_SECTION)]


def _chunks(text: str, limit: int) -> Iterable[str]:
    chunk = ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single overlong line
            if chunk:
                yield chunk
                chunk = ""
            yield line[:limit]
            line = line[limit:]
        candidate = f"{chunk}\n{line}" if chunk else line
        if len(candidate) > limit:
            yield chunk
            chunk = line
        else:
            chunk = candidate
    if chunk:
        yield chunk


def figure_text(figure: KeyFigure) -> str:
    text = f"*{escape(figure.label)}*\n{escape(figure.value)}"
    if figure.change:
        arrow = _ARROW.get(figure.trend or "")
        change = f"{arrow} {escape(figure.change)}" if arrow else escape(figure.change)
        if figure.good is not None:
            change += " :large_green_circle:" if figure.good else " :red_circle:"
        text += f"\n{change}"
    return text


def figure_blocks(figures: Iterable[KeyFigure]) -> list[Block]:
    fields = [mrkdwn(figure_text(figure), MAX_FIELD) for figure in figures]
    return [
        {"type": "section", "fields": fields[start : start + MAX_FIELDS]}
        for start in range(0, len(fields), MAX_FIELDS)
    ]


def table_text(table: Table) -> list[str]:
    """The table as aligned monospace lines (Slack has no table block in messages)."""
    rows = [tuple(table.columns), *table.rows]
    widths = [
        max(len(str(row[i])) if i < len(row) else 0 for row in rows)
        for i in range(len(table.columns))
    ]
    lines = []
    for row in rows:
        cells = [str(cell).ljust(widths[i]) for i, cell in enumerate(row[: len(widths)])]
        lines.append("  ".join(cells).rstrip())
    return lines


def table_blocks(table: Table) -> list[Block]:
    fence = "```"
    budget = MAX_SECTION - 2 * len(fence) - 2
    blocks = []
    for chunk in _chunks("\n".join(escape(line) for line in table_text(table)), budget):
        blocks.append({"type": "section", "text": mrkdwn(f"{fence}\n{chunk}\n{fence}")})
    return blocks


def action_ids(buttons: Iterable[Button]) -> list[str]:
    """Slack wants unique action ids per message: repeated names get ``|<index>``."""
    names = [button.action.name for button in buttons]
    return [
        name if names.count(name) == 1 else f"{name}{ACTION_INDEX_SEP}{index}"
        for index, name in enumerate(names)
    ]


def action_name(action_id: str) -> str:
    """The core's action name back from a Slack action id."""
    name, sep, index = action_id.rpartition(ACTION_INDEX_SEP)
    return name if sep and index.isdigit() else action_id


def button_element(button: Button, action_id: str, language: str) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(button.label, MAX_BUTTON_TEXT),
        "action_id": action_id,
        "value": _truncate(button.action.value, MAX_VALUE),
    }
    if button.style:
        element["style"] = button.style
    if button.confirm:
        element["confirm"] = {
            "title": plain(translate("slack.confirm.title", language), 100),
            "text": mrkdwn(escape(button.confirm), MAX_CONFIRM_TEXT),
            "confirm": plain(translate("slack.confirm.yes", language), 30),
            "deny": plain(translate("slack.confirm.no", language), 30),
            "style": "danger" if button.style == "danger" else "primary",
        }
    return element


def button_blocks(buttons: Iterable[Button], language: str) -> list[Block]:
    buttons = list(buttons)
    elements = [
        button_element(button, action_id, language)
        for button, action_id in zip(buttons, action_ids(buttons), strict=True)
    ]
    return [
        {"type": "actions", "elements": elements[start : start + MAX_BUTTONS]}
        for start in range(0, len(elements), MAX_BUTTONS)
    ]
