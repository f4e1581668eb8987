"""The crew's fixtures: a scripted LLM on loopback and a runtime wired to it and the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.crews.fake_llm import FakeLLM
from tests.crews.script import CrewScript
from tests.recording import RecordingSender
from vocabulary.inbound import Channel

MODEL = "openai/scripted-crew"


@pytest.fixture
def script() -> CrewScript:
    return CrewScript()


@pytest.fixture
def fake_llm(script: CrewScript) -> Iterator[FakeLLM]:
    fake = FakeLLM(script).start()
    yield fake
    fake.stop()


@pytest.fixture
def crew_rt(make_runtime: Any, sandbox: Any, fake_llm: FakeLLM, sqlite_url: str) -> Any:
    """In-process jobs, SQLite, the sandbox, and the scripted LLM as the configured model."""
    rt = make_runtime(
        sandbox=sandbox,
        database_url=sqlite_url,
        llm_model=MODEL,
        llm_base_url=fake_llm.url,
        llm_api_key="test-key",
    )
    rt.set_sender(Channel.CONSOLE, RecordingSender())
    return rt
