"""A pretend WhatsApp phone for demos: the fake Cloud API plus a signed-webhook sender.

    python -m tests.bot.whatsapp.phone --number 5511999999999

It serves the fake Cloud API (point ``MEDIABRAIN_WHATSAPP_API_URL`` at it)
and prints every message the bot sends to the phone: text, reply buttons and
lists as numbered choices, templates, and charts saved as PNG files. Lines
you type are posted to the bot's webhook as signed WhatsApp messages from
``--number``; a bare number presses that choice of the last message. Each
message shown is acknowledged with "delivered" and "read" status callbacks.
See the README's WhatsApp section.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI, Sent


class Phone:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.cloud = FakeCloudAPI(host="127.0.0.1", port=args.port)
        self.cloud.on_send.append(self.show)
        self.choices: list[tuple[str, str]] = []  # (title, callback data) of the last message
        self.template_choices = False
        self.media_dir = Path(args.media_dir)
        self._print = threading.Lock()

    # --- bot → phone ---------------------------------------------------------------------
    def show(self, sent: Sent) -> None:
        if sent.to != self.args.number:
            return
        lines = [""]
        if sent.type == "image":
            lines.append(f"📈 {self._save(sent.payload['image']['id'])}")
        if sent.type == "template":
            template = sent.template or {}
            lines.append(f"[template {template.get('name')} · {template['language']['code']}]")
        lines.append(sent.text)
        choices = sent.buttons or _template_choices(sent)
        if choices:
            self.choices = choices
            self.template_choices = sent.type == "template"
            lines += [f"  [{n}] {title}" for n, (title, _) in enumerate(choices, start=1)]
        with self._print:
            print("\n".join(lines), flush=True)
            print("você> ", end="", flush=True)
        threading.Thread(target=self._acknowledge, args=(sent.id,), daemon=True).start()

    def _save(self, media_id: str) -> Path | str:
        upload = next((u for u in self.cloud.uploads if u.id == media_id), None)
        if upload is None:
            return f"(media {media_id})"
        self.media_dir.mkdir(parents=True, exist_ok=True)
        path = self.media_dir / f"{media_id}-{upload.filename or 'image.png'}"
        path.write_bytes(upload.data)
        return path.resolve()

    def _acknowledge(self, message_id: str) -> None:
        time.sleep(0.3)
        for state in ("delivered", "read"):
            self.post(payloads.status(message_id, state, self.args.number))

    # --- phone → bot ---------------------------------------------------------------------
    def post(self, payload: dict[str, Any]) -> None:
        payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = (
            self.args.phone_id
        )
        body, headers = payloads.signed(payload, self.args.app_secret)
        try:
            response = httpx.post(self.args.webhook, content=body, headers=headers, timeout=10)
        except httpx.HTTPError as exc:
            print(f"\n(webhook unreachable: {exc})", file=sys.stderr, flush=True)
            return
        if response.status_code != 200:
            print(f"\n(webhook answered {response.status_code}: {response.text})", file=sys.stderr)

    def say(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        if line.isdigit() and 1 <= int(line) <= len(self.choices):
            title, data = self.choices[int(line) - 1]
            if self.template_choices:
                self.post(payloads.template_button(self.args.number, data, title))
            else:
                self.post(payloads.button_click(self.args.number, data, title))
        else:
            self.post(payloads.text(self.args.number, line, name=self.args.name))

    def run(self) -> None:
        self.cloud.start()
        print(
            f"Fake WhatsApp Cloud API on {self.cloud.url} (MEDIABRAIN_WHATSAPP_API_URL)\n"
            f"Phone +{self.args.number} → {self.args.webhook}. Type a message, a number to press "
            "a choice, /quit to leave.",
            flush=True,
        )
        print("você> ", end="", flush=True)
        try:
            for line in sys.stdin:
                if line.strip() in ("/quit", "/sair"):
                    break
                self.say(line)
        except KeyboardInterrupt:
            pass
        finally:
            self.cloud.stop()


def _template_choices(sent: Sent) -> list[tuple[str, str]]:
    """Quick replies of a template: pressing one sends its payload back."""
    template = sent.template or {}
    out = []
    for component in template.get("components", []):
        if component.get("type") == "button":
            payload = component["parameters"][0]["payload"]
            out.append((payload.split("|", 1)[0].rsplit(".", 1)[-1], payload))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bot.whatsapp.phone", description=__doc__)
    parser.add_argument("--number", default="5511999999999", help="this phone's number (wa_id)")
    parser.add_argument("--name", default="Demo")
    parser.add_argument("--port", type=int, default=8766, help="fake Cloud API port")
    parser.add_argument("--webhook", default="http://127.0.0.1:8000/whatsapp/webhook")
    parser.add_argument("--app-secret", default="dev-app-secret")
    parser.add_argument("--phone-id", default=payloads.PHONE_ID)
    parser.add_argument("--media-dir", default="whatsapp-media")
    Phone(parser.parse_args(argv)).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
