"""How replies leave: a ``Sender`` per channel, addressed by a ``Destination``.

The core never knows Slack or WhatsApp; it hands a :class:`Reply` and a
:class:`Destination` to the channel's sender, which renders and delivers it.
"""

from __future__ import annotations

from typing import Protocol

from vocabulary.destinations import Destination
from vocabulary.replies import Reply


class Sender(Protocol):
    def send(self, to: Destination, reply: Reply) -> str | None:
        """Deliver ``reply``; return a reference usable with :meth:`update` (or None)."""
        ...

    def update(self, to: Destination, ref: str, reply: Reply) -> None:
        """Replace a message sent earlier (progress, decided approval cards)."""
        ...


class Outbox:
    """Replies for one turn, sent in order; remembers refs of keyed replies for updates."""

    def __init__(self, sender: Sender, to: Destination) -> None:
        self.sender = sender
        self.to = to
        self.sent: list[Reply] = []
        self.refs: dict[str, str] = {}

    def send(self, reply: Reply) -> str | None:
        if reply.key and reply.key in self.refs:
            self.sender.update(self.to, self.refs[reply.key], reply)
            self.sent.append(reply)
            return self.refs[reply.key]
        ref = self.sender.send(self.to, reply)
        self.sent.append(reply)
        if reply.key and ref:
            self.refs[reply.key] = ref
        return ref
