"""Progress replies: one keyed status message, throttled per channel, identical lines dropped."""

from __future__ import annotations

from typing import Any

from bot.whatsapp.sender import CAPABILITIES as WHATSAPP
from crews.progress import ProgressReporter
from tests.recording import RecordingSender
from vocabulary.destinations import Destination
from vocabulary.inbound import Channel
from vocabulary.outbox import Capabilities


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FakeRuntime:
    def __init__(self, sender: Any) -> None:
        self._sender = sender

    def sender(self, channel: Channel) -> Any:
        return self._sender


def reporter(  # type: ignore[no-untyped-def]
    capabilities: Capabilities | None = None, *, ref: str | None = "ts-1", sender: Any = None
):
    sender = sender or RecordingSender(capabilities=capabilities)
    clock = Clock()
    to = Destination(channel=Channel.SLACK, chat_id="C1", language="pt-BR")
    return ProgressReporter(FakeRuntime(sender), to, "run-1", ref=ref, clock=clock), sender, clock  # type: ignore[arg-type]


def test_updates_edit_one_message_at_most_every_two_seconds() -> None:
    progress, sender, clock = reporter()
    progress.agent_started("strategist")
    clock.now += 0.5
    progress.tool_started("strategist", "account_overview")  # too soon: dropped
    clock.now += 2.0
    progress.tool_started("strategist", "account_overview")
    progress.tool_started("strategist", "account_overview")  # identical: dropped
    clock.now += 5
    progress.tool_started("strategist", "account_overview")  # identical even later: dropped
    progress.finish(progress.t("crew.progress.done"))  # the last line always goes
    progress.agent_started("analyst")  # after finish: ignored
    assert sender.sent == []  # the status message was posted by the turn; these are edits
    assert [(ref, r.kind, r.key, r.text) for ref, r in sender.updates] == [
        ("ts-1", "progress", "crew:run-1", "🧭 Estrategista trabalhando…"),
        ("ts-1", "progress", "crew:run-1", "🔧 Estrategista: lendo os resultados da conta…"),
        ("ts-1", "progress", "crew:run-1", "✅ Pronto"),
    ]
    assert progress.dropped == 1


def test_without_a_ref_the_first_line_is_sent_and_later_ones_edit_it() -> None:
    progress, sender, clock = reporter(ref=None)
    progress.agent_started("copywriter")
    clock.now += 3
    progress.agent_started("optimizer")
    assert [r.text for _, r in sender.sent] == ["✍️ Copywriter trabalhando…"]
    assert [r.text for _, r in sender.updates] == ["⚙️ Otimizador trabalhando…"]


def test_whatsapp_gets_a_few_short_new_lines_without_tool_steps() -> None:
    progress, sender, clock = reporter(WHATSAPP)  # what WhatsApp's sender declares
    assert progress.can == WHATSAPP  # read from the channel's sender, not its name
    progress.agent_started("strategist")
    clock.now += 3
    progress.agent_started("copywriter")  # within 8 s: dropped
    clock.now += 10
    progress.tool_started("analyst", "campaign_performance")  # tool steps: not on WhatsApp
    progress.task_done("analyst")
    progress.agent_started("analyst")
    progress.finish("✅ Pronto")  # the answer follows; no extra line
    assert sender.updates == []  # no edits: each line is a new message
    assert [r.text for _, r in sender.sent] == [
        "🧭 Estrategista trabalhando…",
        "📊 Analista trabalhando…",
    ]


def test_a_failing_channel_never_fails_the_run() -> None:
    class Broken(RecordingSender):
        def update(self, to: Destination, ref: str, reply: Any) -> None:
            raise ConnectionError("slack down")

    progress, _, _ = reporter(sender=Broken())
    progress.agent_started("strategist")
    progress.finish("✅ Pronto")
    assert progress.sent == []
