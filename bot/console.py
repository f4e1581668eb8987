"""The console channel: ``mediabrain chat``, a newcomer's first command.

Lines typed (or read from a script / piped stdin) become ``Inbound`` events on
the same path as Slack and WhatsApp (persist → enqueue → core), with jobs run
in-process. Replies print as text; buttons become numbered choices that the
next line can pick ("1", "2"); charts are written to files and their path shown.
"""

from __future__ import annotations

import getpass
import logging
import re
import sys
import threading
import uuid
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

from bot.core.identity import ChannelIdentity, Identity, identity_of
from bot.core.ingest import accept
from bot.core.intents import match_language
from storage.clock import utcnow
from storage.models import Role, User
from storage.repositories import (
    DEFAULT_WORKSPACE,
    ad_accounts,
    add_user,
    ensure_workspace,
    find_user,
    workspace_settings,
)
from vocabulary.ad_accounts import refresh_details
from vocabulary.destinations import Destination
from vocabulary.i18n import register, translate
from vocabulary.inbound import Action, Channel, Inbound
from vocabulary.outbox import Capabilities
from vocabulary.parsing import normalize
from vocabulary.replies import Button, Reply

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

QUIT = {"/sair", "/quit", "/exit", "sair", "quit", "exit"}

MESSAGES: dict[str, dict[str, str]] = {
    "console.not_utf8": {
        "pt-BR": "(linha {line} não estava em UTF-8: lida como Latin-1 · “{text}”)",
        "en": "(line {line} was not UTF-8: read as Latin-1 · “{text}”)",
    },
    "console.banner.sandbox": {
        "pt-BR": "mediabrain · console (sandbox da Meta, conta {account})",
        "en": "mediabrain · console (Meta sandbox, account {account})",
    },
    "console.banner.meta": {
        "pt-BR": "mediabrain · console (conta {account})",
        "en": "mediabrain · console (account {account})",
    },
    "console.banner.help": {
        "pt-BR": "Digite *ajuda* para ver os comandos, /avancar 1d para avançar o relógio do sandbox, /sair para sair.",
        "en": "Type *help* for commands, /advance 1d to move the sandbox clock, /quit to leave.",
    },
    "console.no_clock": {
        "pt-BR": "(o relógio só avança no sandbox)",
        "en": "(the clock only moves in the sandbox)",
    },
    "console.no_script": {
        "pt-BR": "Não consegui ler o roteiro {path}: {reason}. Confira o caminho (ex.: mediabrain chat --script demo.txt).",
        "en": "Cannot read the script {path}: {reason}. Check the path (e.g. mediabrain chat --script demo.txt).",
    },
}
register(MESSAGES)


def decode_line(raw: bytes | str) -> tuple[str, bool]:
    """A typed line as text, and whether it was not UTF-8 (then read as Latin-1/cp1252).

    Terminals and files saved by older editors in Brazil often send Latin-1; reading
    it is better than refusing a whole script (and nothing is lost).
    """
    if isinstance(raw, str):
        if not any("\udc80" <= ch <= "\udcff" for ch in raw):  # no undecodable bytes
            return raw, False
        raw = raw.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252"), True
        except UnicodeDecodeError:
            return raw.decode("latin-1"), True


_ADVANCE = re.compile(r"^/(?:avancar|avançar|advance)\s+(\d+)\s*([dh])?$")


def console_user(session: Session, inbound: Inbound) -> User | None:
    return find_user(session, console_name=inbound.user_id)


def identify(session: Session, inbound: Inbound) -> Identity:
    """The local console operator administers the embedded install (made on first contact)."""
    user = console_user(session, inbound)
    if user is None:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        membership = add_user(
            session, workspace, role=Role.ADMIN, name=inbound.user_id, console_name=inbound.user_id
        )
        return Identity(workspace.id, membership.user_id, Role.ADMIN)
    return identity_of(session, user)


CONSOLE_IDENTITY = ChannelIdentity(identify=identify, find_user=console_user)

#: The console "edits" by printing the new line; any number of numbered choices.
CAPABILITIES = Capabilities(
    edits_in_place=True,
    progress_interval=1.0,
    progress_steps=True,
    buttons_per_message=99,
    asks_reason=False,
)


class ConsoleSender:
    """Prints replies; remembers the buttons shown since the person last typed, so a number
    can press any of them.

    Choices are numbered on from one reply to the next until the person types again: five
    approval cards show [1]/[2], [3]/[4] … [9]/[10], and "3" approves the second card, not
    the last one (issue 15).
    """

    capabilities = CAPABILITIES

    def __init__(self, rt: Runtime, out: TextIO | None = None) -> None:
        self.rt = rt
        self.out = out or sys.stdout
        self.choices: dict[str, list[Button]] = {}
        self._fresh: set[str] = set()  # chats whose person typed since the last buttons
        self._lock = threading.Lock()

    def typed(self, chat_id: str) -> None:
        """The person typed a line: the next buttons are numbered from 1 again."""
        with self._lock:
            self._fresh.add(chat_id)

    def send(self, to: Destination, reply: Reply) -> str | None:
        ref = reply.key or uuid.uuid4().hex[:8]
        with self._lock:
            if reply.buttons and to.chat_id in self._fresh:
                self._fresh.discard(to.chat_id)
                self.choices[to.chat_id] = []
            shown = self.choices.setdefault(to.chat_id, [])
            self.out.write(self.render(reply, start=len(shown) + 1) + "\n")
            self.out.flush()
            shown.extend(reply.buttons)
        return ref

    def update(self, to: Destination, ref: str, reply: Reply) -> None:
        self.send(to, reply)

    def render(self, reply: Reply, start: int = 1) -> str:
        if reply.kind == "progress":
            return f"  … {reply.text}"
        lines = [reply.text]
        if reply.chart is not None:
            lines.append(
                f"📈 {reply.chart.title}: {self._save_chart(reply.chart.png, reply.chart.filename)}"
            )
        for index, button in enumerate(reply.buttons, start=start):
            lines.append(f"  [{index}] {button.label}")
        return "\n".join(lines)

    def _save_chart(self, png: bytes, filename: str) -> Path:
        folder = self.rt.settings.data_dir / "charts"
        folder.mkdir(parents=True, exist_ok=True)
        path = (
            folder
            / f"{datetime.now().astimezone():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}-{filename}"
        )
        path.write_bytes(png)
        return path

    def pick(self, chat_id: str, text: str) -> Action | None:
        """A bare number picks one of the buttons shown last in this chat."""
        buttons = self.choices.get(chat_id) or []
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            return buttons[int(text) - 1].action
        return None


class ConsoleChat:
    def __init__(
        self,
        rt: Runtime,
        *,
        user: str | None = None,
        out: TextIO | None = None,
        language: str | None = None,
    ) -> None:
        self.rt = rt
        self.out = out or sys.stdout
        self.user = user or _login()
        #: ``--language``: wins over stored preferences until the person switches in the chat.
        self.language = language or ""
        self.chat_id = f"console:{self.user}"
        self.sender = ConsoleSender(rt, self.out)
        rt.set_sender(Channel.CONSOLE, self.sender)

    def t(self, key: str, **params: object) -> str:
        return translate(key, self.rt.settings.language, **params)

    def say(self, text: str) -> None:
        """Handle one line as the user typed it."""
        text, latin = decode_line(text)
        if latin:
            self.out.write(self.t("console.not_utf8", line=1, text=text.strip()) + "\n")
        text = text.strip()
        if not text:
            return
        if self._meta(text):
            return
        action = self.sender.pick(self.chat_id, text)
        self.sender.typed(self.chat_id)
        if action is None and match_language(normalize(text)) is not None:
            self.language = ""  # "english" / "português" typed now: the person's choice wins
        inbound = Inbound(
            channel=Channel.CONSOLE,
            event_id=uuid.uuid4().hex,
            chat_id=self.chat_id,
            user_id=self.user,
            user_name=self.user,
            received_at=utcnow(),
            text="" if action else text,
            action=action,
            language=self.language,
        )
        accept(self.rt, inbound)

    def _meta(self, text: str) -> bool:
        match = _ADVANCE.match(text.lower())
        if match:
            amount, unit = int(match.group(1)), match.group(2) or "d"
            hours = amount * 24 if unit == "d" else amount
            if self.rt.sandbox is None:
                self.out.write(self.t("console.no_clock") + "\n")
                return True
            self.rt.sandbox.advance_clock(hours=hours)
            zone = self._timezone()
            moment = self.rt.sandbox.now().astimezone(ZoneInfo(zone))
            self.out.write(f"⏩ sandbox: {moment:%Y-%m-%d %H:%M} ({zone})\n")
            self.rt.advance_clock_hook()
            return True
        return False

    def _timezone(self) -> str:
        """The console user's workspace timezone (times are shown in it everywhere)."""
        with self.rt.db.session() as session:
            user = find_user(session, console_name=self.user)
            if user is not None:
                return workspace_settings(session, identity_of(session, user).workspace_id).timezone
        return self.rt.settings.timezone

    def run_script(self, lines: Iterable[str | bytes], *, echo: bool = True) -> None:
        for number, raw in enumerate(lines, start=1):
            line, latin = decode_line(raw)
            line = line.rstrip("\r\n")
            if latin:
                self.out.write(self.t("console.not_utf8", line=number, text=line.strip()) + "\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.strip().lower() in QUIT:
                break
            if echo:
                self.out.write(f"> {line}\n")
            self.say(line)
            self.out.write("\n")
        self.out.flush()

    def banner(self) -> str:
        """The greeting, naming the account as the platform names it (not a default label)."""
        name = self._account_name()
        where = "console.banner.sandbox" if self.rt.settings.use_sandbox else "console.banner.meta"
        return self.t(where, account=name) + "\n" + self.t("console.banner.help") + "\n\n"

    def _account_name(self) -> str:
        with self.rt.db.session() as session:
            user = find_user(session, console_name=self.user)
            if user is not None:
                workspace_id = identity_of(session, user).workspace_id
            else:  # first run: the console's admin will be made in the default workspace
                workspace_id = ensure_workspace(session, DEFAULT_WORKSPACE).id
            accounts = ad_accounts(session, workspace_id)
            if not accounts:
                return "—"
            pk, fallback = accounts[0].id, accounts[0].name or accounts[0].external_id
        try:
            learned = refresh_details(self.rt, pk)  # one cached read; the name Meta reports
        except Exception as exc:  # the platform unreachable: the stored name, said once later
            logger.info("console banner: account name not refreshed (%s)", type(exc).__name__)
            return fallback
        return learned.name or fallback

    def repl(self) -> None:
        self.out.write(self.banner())
        while True:
            try:
                line = input("você> " if self.rt.settings.language == "pt-BR" else "you> ")
            except (EOFError, KeyboardInterrupt):
                self.out.write("\n")
                return
            if line.strip().lower() in QUIT:
                return
            self.say(line)


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "console"
