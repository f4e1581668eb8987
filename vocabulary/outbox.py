"""How replies leave: a ``Sender`` per channel, addressed by a ``Destination``.

The core never knows Slack or WhatsApp; it hands a :class:`Reply` and a
:class:`Destination` to the channel's sender, which renders and delivers it.
Where the core must adapt to a channel (edit a status line or send new ones,
ask for a reason itself or leave it to the channel's form) it reads the
sender's :class:`Capabilities`, never the channel's name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from vocabulary.destinations import Destination
from vocabulary.replies import Reply
from vocabulary.trace import note_sent, replying

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Capabilities:
    """What a channel can do, declared by its sender and read by the core."""

    #: A sent message can be replaced later (a progress line edited, a decided card updated).
    edits_in_place: bool = True
    #: Seconds between two progress updates of one run (edits, or new lines where no edits).
    progress_interval: float = 2.0
    #: Each tool step of the crew is worth a progress line (not where every line is a message).
    progress_steps: bool = True
    #: The most buttons one message can offer; more are dropped by the channel's renderer.
    buttons_per_message: int = 10
    #: The channel asks for a rejection's reason in its own form (Slack's modal), so the
    #: core does not answer a rejection with text of its own.
    asks_reason: bool = False


class Sender(Protocol):
    @property
    def capabilities(self) -> Capabilities:
        """What this channel can do (constant for a sender)."""
        ...

    def send(self, to: Destination, reply: Reply) -> str | None:
        """Deliver ``reply``; return a reference usable with :meth:`update` (or None)."""
        ...

    def update(self, to: Destination, ref: str, reply: Reply) -> None:
        """Replace a message sent earlier (progress, decided approval cards)."""
        ...


@runtime_checkable
class ReadsBack(Protocol):
    """A sender that can tell whether a reply tagged for an event reached the user.

    Optional: a sender without it "cannot tell". Replies of an event's turn carry
    :func:`vocabulary.trace.reply_tag`; the reconciler asks before running a turn again
    whose worker died between the platform's acceptance and the "answered" commit.
    """

    def already_answered(self, to: Destination, event_pk: int) -> bool | None:
        """True: a reply tagged for ``event_pk`` went out; False: none did (as far as the
        channel shows); None: cannot tell (the channel cannot be read back, or failed)."""
        ...


def already_answered(sender: Sender, to: Destination, event_pk: int) -> bool | None:
    """Ask ``sender`` whether event ``event_pk`` was answered; None when it cannot tell."""
    if not isinstance(sender, ReadsBack):
        return None
    try:
        return sender.already_answered(to, event_pk)
    except Exception:  # the channel unreachable: cannot tell, the caller decides
        logger.warning("could not read back the replies to event %s", event_pk, exc_info=True)
        return None


class Outbox:
    """Replies for one turn, sent in order; remembers refs of keyed replies for updates."""

    def __init__(self, sender: Sender, to: Destination) -> None:
        self.sender = sender
        self.to = to
        self.sent: list[Reply] = []
        self.refs: dict[str, str] = {}

    def send(self, reply: Reply) -> str | None:
        is_reply = reply.kind != "progress"
        if reply.key and reply.key in self.refs:
            with replying(is_reply):
                self.sender.update(self.to, self.refs[reply.key], reply)
            self.sent.append(reply)
            if is_reply:
                note_sent()
            return self.refs[reply.key]
        with replying(is_reply):  # a sender recording the delivery may note it there
            ref = self.sender.send(self.to, reply)
        self.sent.append(reply)
        if reply.kind != "progress":
            note_sent()  # the job's record that this turn has answered (see vocabulary/trace.py)
        if reply.key and ref:
            self.refs[reply.key] = ref
        return ref
