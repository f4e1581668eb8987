"""Accept, or tell the user why not: one function for every channel's webhook."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

import bot.slack.messages  # noqa: F401  (registers the channel's words used below)
from bot.core import ingest
from bot.core.ingest import Admission, admit
from vocabulary.inbound import Channel, Inbound
from vocabulary.queue import QueueUnavailable


def said() -> Inbound:
    return Inbound(
        channel=Channel.SLACK,
        event_id="ev-1",
        chat_id="C1",
        user_id="U1",
        received_at=datetime.now(UTC),
        text="relatório",
    )


def failing(exc: Exception) -> Any:
    def accept(rt: Any, inbound: Inbound, **kwargs: Any) -> Any:
        raise exc

    return accept


def test_a_queued_event_needs_no_words(make_runtime, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox="off", database_url=sqlite_url)
    rt.queue.enqueue = lambda *a, **k: None  # type: ignore[method-assign]
    assert admit(rt, said()) == Admission("queued")
    assert admit(rt, said()).status == "duplicate"  # the platform's redelivery


def test_queue_down_is_explained_in_the_persons_language(
    make_runtime, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox="off", database_url=sqlite_url)
    monkeypatch.setattr(ingest, "accept", failing(QueueUnavailable("redis down")))
    told = admit(rt, said(), language=lambda inbound: "en")
    assert told.status == "refused" and told.language == "en"
    assert told.explanation is not None and "queue" in told.explanation.lower()
    again = admit(rt, said(), language=lambda inbound: "en")  # its redelivery
    assert again == Admission("refused")  # refused, without a second notice
    other = replace(said(), event_id="ev-2")
    pt = admit(rt, other, language=lambda inbound: "pt-BR")
    assert pt.explanation is not None and "fila indisponível" in pt.explanation


def test_anything_else_gets_the_channels_words_and_a_ref_to_quote(
    make_runtime, sqlite_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox="off", database_url=sqlite_url)
    monkeypatch.setattr(ingest, "accept", failing(RuntimeError("database gone")))
    told = admit(rt, said(), language=lambda inbound: "pt-BR", failed_key="slack.not_registered")
    assert told.status == "refused" and told.explanation is not None
    ref = re.search(r"ref ([0-9A-F]{8})", told.explanation)
    assert ref is not None, told.explanation
    assert f"ref={ref.group(1)}" in caplog.text  # the operator can find the traceback
