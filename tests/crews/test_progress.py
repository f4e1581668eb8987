"""Progress replies: one keyed status message, paced per channel, every agent's line shown
(held and merged when it comes too soon, never dropped), identical lines not repeated."""

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
    progress = ProgressReporter(
        FakeRuntime(sender),  # type: ignore[arg-type]
        to,
        "run-1",
        ref=ref,
        clock=clock,
        schedule=lambda delay, callback: TIMERS.append((delay, callback)),
    )
    return progress, sender, clock


TIMERS: list[tuple[float, Any]] = []  # flushes the reporter asked for: run by hand


def test_updates_edit_one_message_at_most_every_two_seconds() -> None:
    progress, sender, clock = reporter()
    progress.agent_started("strategist")
    clock.now += 0.5
    progress.tool_started("strategist", "account_overview")  # too soon: held
    clock.now += 2.0
    progress.tool_started("strategist", "account_overview")
    progress.tool_started("strategist", "account_overview")  # identical: never repeated
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
    assert progress.held == 2  # the early line and the immediate repeat waited


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
    progress.agent_started("copywriter")  # within 8 s: held, then merged into the next line
    clock.now += 10
    progress.tool_started("analyst", "campaign_performance")  # tool steps: not on WhatsApp
    progress.task_done("analyst")
    progress.agent_started("analyst")
    progress.finish("✅ Pronto")  # the answer follows; no extra line
    assert sender.updates == []  # no edits: each line is a new message
    assert [r.text for _, r in sender.sent] == [
        "🧭 Estrategista trabalhando…",
        "✍️ Copywriter trabalhando…\n📊 Analista trabalhando…",
    ]


def test_a_failing_channel_never_fails_the_run() -> None:
    class Broken(RecordingSender):
        def update(self, to: Destination, ref: str, reply: Any) -> None:
            raise ConnectionError("slack down")

    progress, _, _ = reporter(sender=Broken())
    progress.agent_started("strategist")
    progress.finish("✅ Pronto")
    assert progress.sent == []


def test_agents_working_in_parallel_all_show_merged_never_dropped() -> None:
    TIMERS.clear()
    progress, sender, clock = reporter()
    progress.agent_started("creative")
    clock.now += 0.2
    progress.agent_started("copywriter")  # the creative and the copywriter work in parallel
    clock.now += 0.2
    progress.tool_started("creative", "account_overview")
    assert [r.text for _, r in sender.updates] == ["🎨 Diretor criativo trabalhando…"]
    (delay, flush), *_ = TIMERS  # nothing else happens: the held lines go when the pace allows
    assert 1.5 < delay <= 2.0
    clock.now += delay
    flush()
    assert sender.updates[-1][1].text == (
        "✍️ Copywriter trabalhando…\n🔧 Diretor criativo: lendo os resultados da conta…"
    )
    assert progress.held == 2
    progress.finish(progress.t("crew.progress.done"))
    flush()  # a late timer after the end: nothing more
    assert sender.updates[-1][1].text == "✅ Pronto"
