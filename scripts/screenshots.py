"""Draw the README's screenshots from what the bot really sends (``python scripts/screenshots.py``).

The embedded default (SQLite, the Meta sandbox's demo account) answers three requests as a
person would type them; each reply goes through the channel's own renderer — Block Kit
(``bot/slack/blocks.py``) for Slack, WhatsApp's messages and reply buttons
(``bot/whatsapp/render.py``) — and Pillow draws the result, roughly as the apps show it:

- ``docs/screenshots/slack-report.png``: ``/ads relatório dos últimos 7 dias``;
- ``docs/screenshots/slack-approval.png``: ``/ads pausar Advantage+ Shopping``;
- ``docs/screenshots/whatsapp-chat.png``: ``relatório de ontem``, ``campanhas``,
  ``orçamento 1 para 600``.

No network: the sandbox runs on loopback, nothing is sent anywhere.
"""

from __future__ import annotations

import re
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))

WIDTH = 760
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")


def font(size: int, bold: bool = False) -> Any:
    """DejaVu when installed (it has the emoji-free glyphs we need), else Pillow's default."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.exists():
            return ImageFont.truetype(str(path), size)
    try:
        import matplotlib  # fonts: matplotlib ships DejaVu

        path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name
        return ImageFont.truetype(str(path), size)
    except (ImportError, OSError):
        return ImageFont.load_default()


EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u2b50\u2b06\u2b07\u25b2\u25bc]")


def clean(text: str) -> str:
    """Slack mrkdwn and emoji as plain glyphs DejaVu can draw."""
    text = re.sub(r":[a-z0-9_+-]+:", "●", text)  # Slack's :large_green_circle: and friends
    text = text.replace("*", "").replace("_", "").replace("`", "")
    return EMOJI.sub("•", text).replace("••", "•")


@dataclass
class Canvas:
    """Lines of text, boxes and buttons laid out top to bottom, then drawn at their height."""

    background: str
    ops: list[tuple[str, Any]] = field(default_factory=list)
    y: int = 20

    def text(self, text: str, *, size: int = 15, bold: bool = False, color: str = "#1d1c1d",
             x: int = 28, width: int = 74) -> None:  # fmt: skip
        for paragraph in clean(text).splitlines() or [""]:
            for line in textwrap.wrap(paragraph, width) or [""]:
                self.ops.append(("text", (x, self.y, line, size, bold, color)))
                self.y += size + 7

    def gap(self, size: int = 8) -> None:
        self.y += size

    def buttons(self, labels: list[tuple[str, str]], *, x: int = 28) -> None:
        for label, style in labels:
            w = 18 + 9 * len(label)
            fill = {"primary": "#007a5a", "danger": "#e01e5a"}.get(style, "#ffffff")
            ink = "#ffffff" if style in ("primary", "danger") else "#1d1c1d"
            self.ops.append(("button", (x, self.y, x + w, self.y + 32, label, fill, ink)))
            x += w + 10
        self.y += 44

    def bubble(self, lines: list[str], *, mine: bool, buttons: list[str] = ()) -> None:  # type: ignore[assignment]
        wrapped = [w for line in lines for w in (textwrap.wrap(clean(line), 46) or [""])]
        height = 16 + 21 * len(wrapped)
        left = WIDTH - 460 - 24 if mine else 24
        self.ops.append(("bubble", (left, self.y, left + 460, self.y + height, mine)))
        y = self.y + 8
        for line in wrapped:
            self.ops.append(("text", (left + 12, y, line, 15, False, "#111b21")))
            y += 21
        self.y += height + 6
        for label in buttons:
            self.ops.append(
                ("button", (left, self.y, left + 460, self.y + 34, label, "#ffffff", "#027eb5"))
            )
            self.y += 40
        self.y += 8

    def save(self, path: Path) -> None:
        image = Image.new("RGB", (WIDTH, self.y + 20), self.background)
        draw = ImageDraw.Draw(image)
        for kind, args in self.ops:
            if kind == "text":
                x, y, line, size, bold, color = args
                draw.text((x, y), line, font=font(size, bold), fill=color)
            elif kind == "button":
                x0, y0, x1, y1, label, fill, ink = args
                draw.rounded_rectangle((x0, y0, x1, y1), 6, fill=fill, outline="#c7c7c7")
                w = draw.textlength(clean(label), font=font(14, True))
                draw.text(((x0 + x1 - w) / 2, y0 + 8), clean(label), font=font(14, True), fill=ink)
            elif kind == "bubble":
                x0, y0, x1, y1, mine = args
                draw.rounded_rectangle((x0, y0, x1, y1), 10, fill="#d9fdd3" if mine else "#ffffff")
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(path, optimize=True)
        print(f"wrote {path.relative_to(ROOT)}")


def slack_canvas(blocks: list[dict[str, Any]], asked: str) -> Canvas:
    """Block Kit as Slack lays it out: the request, then the app's message."""
    canvas = Canvas("#ffffff")
    canvas.text("ana  " + asked, size=14, color="#616061")
    canvas.gap(6)
    canvas.text("mediabrain  APP", size=15, bold=True)
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            canvas.text(block["text"]["text"], size=19, bold=True)
        elif kind == "section" and "fields" in block:
            pairs = [f["text"] for f in block["fields"]]
            for left, right in zip(pairs[::2], [*pairs[1::2], ""], strict=False):
                canvas.text(f"{left.replace(chr(10), ' ')}   {right.replace(chr(10), ' ')}")
        elif kind == "section":
            canvas.text(block["text"]["text"])
        elif kind == "actions":
            canvas.buttons([(e["text"]["text"], e.get("style", "")) for e in block["elements"]])
        elif kind == "context":
            canvas.text(" ".join(e.get("text", "") for e in block["elements"]), size=12,
                        color="#616061")  # fmt: skip
        canvas.gap(4)
    return canvas


def main() -> int:
    from ads.sandbox import start_sandbox
    from bot.core.conversation import handle_turn
    from bot.slack.blocks import render as slack_blocks
    from bot.whatsapp.render import render_reply
    from mediabrain.bootstrap import prepare
    from mediabrain.runtime import build_runtime
    from tests.recording import RecordingSender
    from tests.support.console import console_inbound
    from vocabulary.inbound import Channel
    from vocabulary.runtime import set_runtime
    from vocabulary.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        sandbox = start_sandbox(port=0, seed=42)
        rt = build_runtime(Settings(data_dir=Path(tmp), sandbox="on", meta_graph_url=sandbox.url))
        rt.sandbox = sandbox
        prepare(rt)
        set_runtime(rt)
        rt.set_sender(Channel.CONSOLE, RecordingSender())
        try:

            def ask(text: str) -> list[Any]:
                return handle_turn(rt, console_inbound(text, user="ana"))

            report = next(r for r in ask("relatório dos últimos 7 dias") if r.kind == "report")
            slack_canvas(slack_blocks(report), "/ads relatório dos últimos 7 dias").save(
                OUT / "slack-report.png"
            )
            card = next(r for r in ask("pausar Advantage+ Shopping") if r.kind == "approval")
            slack_canvas(slack_blocks(card), "/ads pausar Advantage+ Shopping").save(
                OUT / "slack-approval.png"
            )
            phone = Canvas("#efeae2")
            phone.text("mediabrain · WhatsApp", size=16, bold=True, color="#111b21")
            phone.gap(6)
            for typed in ("relatório de ontem", "campanhas", "orçamento 1 para 600"):
                phone.bubble([typed], mine=True)
                for reply in ask(typed):
                    for message in render_reply(reply, "pt-BR"):
                        if message.kind == "image":
                            phone.bubble(["[gráfico] " + message.body.splitlines()[0]], mine=False)
                            continue
                        lines = message.body.splitlines()
                        if message.kind == "list":
                            lines = [*lines[:6], f"☰ {message.list_button}"]
                            phone.bubble(lines, mine=False)
                        else:
                            labels = [c.title for c in message.choices]
                            phone.bubble(lines[:14], mine=False, buttons=labels)
            phone.save(OUT / "whatsapp-chat.png")
        finally:
            rt.sandbox = None
            rt.close()
            sandbox.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
