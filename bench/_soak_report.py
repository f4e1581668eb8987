"""The soak's figures: who was answered once, lost, duplicated; acks and latencies; PASS/FAIL."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from bench._harness import pct
from bench._soak_traffic import Message, People

if TYPE_CHECKING:
    from bench.soak import Soak

ACK_LIMIT = 3.0  # Slack gives up after 3 s


def refused(message: Message, notices: set[str]) -> bool:
    """Told at the door to send it again (a Slack ack, or a notice in the chat)."""
    if message.slack and message.kind != "slack_click":
        first_ok = next(
            (t for t, s in zip(message.ack_texts, message.statuses, strict=True) if s == "200"),
            None,
        )
        if first_ok is not None and not first_ok.startswith("⏳"):
            return True
    return any(r.text in notices for r in message.replies)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def refusal_notices() -> set[str]:
    """What a person is told when the door is closed (the queue down): send it again."""
    from vocabulary.i18n import translate

    return {translate("error.queue_down", lang) for lang in ("pt-BR", "en")}


def report(soak: Soak, people: People) -> bool:
    notices = refusal_notices()
    messages = people.messages
    told = [m for m in messages if refused(m, notices)]
    answered = [m for m in messages if m not in told and m.answers()]
    lost = [m for m in messages if m not in told and not m.answers()]
    duplicated = [m for m in messages if m.duplicated()]
    once = [m for m in answered if not m.duplicated()]
    acks = [a for m in messages for a in m.acks]
    failed_acks = sum(1 for m in messages for s in m.statuses if s != "200")
    slow = sum(1 for a in acks if a >= ACK_LIMIT)
    latency = [
        (m.first_answer() or 0.0) - (m.accepted_at or 0.0) for m in answered if m.accepted_at
    ]
    executed, writes, extra = soak.platform_writes()
    sends = sum(m.sends for m in messages)
    kinds: dict[str, int] = {}
    for m in messages:
        kinds[m.kind] = kinds.get(m.kind, 0) + 1
    print(f"\nmediabrain soak · {soak.args.workers} workers · logs in {soak.logs}")
    print(
        f"  sent {sends} webhooks in {soak.sent_seconds:.0f} s ({sends / soak.sent_seconds:.1f}/s): "
        f"{len(messages)} unique, {sends - len(messages)} duplicates re-sent"
    )
    print("  mix: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print("  faults: " + ("; ".join(soak.events) if soak.events else "none"))
    print(f"  inbound_events by status: {soak.inbound_statuses()}")
    settled = sum(
        log.read_text(errors="replace").count("its worker died") for log in soak.logs.glob("*.log")
    )
    print(f"  settled by the sweeper or RQ's callbacks after a worker died: {settled}")
    print(f"  answered exactly once: {len(once)} / {len(messages)} unique")
    print(f"  refused at the door, told to send again: {len(told)}")
    print(f"  lost (accepted, never answered): {len(lost)}   [{verdict(not lost)} target 0]")
    for m in lost[:10]:
        print(f"    lost #{m.index} {m.kind} chat {m.chat} acks {m.statuses}")
    print(f"  duplicated replies: {len(duplicated)}   [{verdict(not duplicated)} target 0]")
    found = sum(
        log.read_text(errors="replace").count("not answered again")
        for log in soak.logs.glob("*.log")
    )
    print(
        f"    settled without a re-run, the platform already had the reply: {found}; "
        f"WhatsApp status webhooks the app refused: {soak.cloud.status_errors}"
    )
    for m in duplicated[:10]:
        texts = [r.text[:60] for r in m.answers()]
        print(f"    duplicated #{m.index} {m.kind} chat {m.chat}: {texts}")
    print(
        f"  approved changes executed: {executed}, writes on the sandbox for them: {writes}, "
        f"duplicated platform writes: {extra}   [{verdict(extra == 0)} target 0]"
    )
    print(
        f"  ack p50 {pct(acks, 0.5) * 1000:.0f} ms  p99 {pct(acks, 0.99) * 1000:.0f} ms  "
        f"max {max(acks) * 1000:.0f} ms; {slow} of {len(acks)} took >= 3 s, {failed_acks} not 200   "
        f"[{verdict(slow == 0 and failed_acks == 0)} every ack < 3 s]"
    )
    slow_kinds: dict[str, int] = {}
    for m in messages:
        for a, st in zip(m.acks, m.statuses, strict=True):
            if a >= ACK_LIMIT or st != "200":
                slow_kinds[f"{m.kind} {st}"] = slow_kinds.get(f"{m.kind} {st}", 0) + 1
    if slow_kinds:
        print(
            "    slow or failed acks by kind: "
            + ", ".join(f"{k}: {v}" for k, v in slow_kinds.items())
        )
    if latency:
        print(
            f"  receipt → reply: p50 {statistics.median(latency):.2f} s  p95 {pct(latency, 0.95):.2f} s  "
            f"max {max(latency):.2f} s"
        )
    return not lost and not duplicated and extra == 0 and slow == 0 and failed_acks == 0
