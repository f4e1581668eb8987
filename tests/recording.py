"""A Sender that records what the bot said, for tests that don't care about the channel."""

from __future__ import annotations

import threading
import uuid

from vocabulary.destinations import Destination
from vocabulary.outbox import Capabilities
from vocabulary.replies import Reply


class RecordingSender:
    def __init__(
        self, *, fail_first: str | None = None, capabilities: Capabilities | None = None
    ) -> None:
        self.capabilities = capabilities or Capabilities()
        self.sent: list[tuple[Destination, Reply]] = []
        self.updates: list[tuple[str, Reply]] = []
        self.fail_first = fail_first  # a reply kind whose first delivery fails
        self._lock = threading.Lock()

    def send(self, to: Destination, reply: Reply) -> str:
        with self._lock:
            if self.fail_first and reply.kind == self.fail_first:
                self.fail_first = None
                raise ConnectionError("channel down for this one message")
            self.sent.append((to, reply))
        return reply.key or uuid.uuid4().hex

    def update(self, to: Destination, ref: str, reply: Reply) -> None:
        with self._lock:
            self.updates.append((ref, reply))

    @property
    def texts(self) -> list[str]:
        return [reply.text for _, reply in self.sent]
