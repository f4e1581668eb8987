"""A crew run seen from Slack: one status message edited in place, then the answer in the thread.

The crew runs for real (CrewAI) against the scripted LLM of tests/crews on
loopback and the Meta sandbox; jobs run in-process (no Redis), as in the
embedded default.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from mediabrain.web import create_app
from storage.models import Role
from storage.repositories import add_user, ensure_workspace
from tests.bot.slack import payloads
from tests.bot.slack.conftest import SlackClient
from tests.bot.slack.fake_slack import FakeSlack
from tests.crews.fake_llm import FakeLLM
from tests.crews.script import CrewScript
from tests.support.waiting import eventually

pytestmark = pytest.mark.slow


@pytest.fixture
def scripted_llm():  # type: ignore[no-untyped-def]
    fake = FakeLLM(CrewScript(), delay=lambda body: 0.1).start()  # time for a few status lines
    yield fake
    fake.stop()


def test_a_crew_run_edits_one_status_message_then_answers_in_the_thread(
    make_runtime, slack_settings, sandbox, scripted_llm, fake_slack: FakeSlack, sqlite_url: str
) -> None:
    rt = make_runtime(
        sandbox=sandbox,
        database_url=sqlite_url,
        llm_model="openai/scripted-crew",
        llm_base_url=scripted_llm.url,
        llm_api_key="test-key",
        **slack_settings,
    )
    with rt.db.session() as session:  # an analysis can propose: an operator asks for it
        add_user(session, ensure_workspace(session), role=Role.OPERATOR, slack_user_id="U0ANA")
    slack = SlackClient(TestClient(create_app(rt.settings, rt)))
    mention = payloads.app_mention("analise minhas campanhas da última semana")
    assert slack.post(mention).status_code == 200
    thread = json.loads(mention[0])["event"]["ts"]

    eventually(
        lambda: any("Análise" in (m.get("text") or "") for m in fake_slack.messages),
        timeout=90,
        interval=0.2,
        what="the analysis in the thread",
    )
    status, *rest = fake_slack.messages
    assert status["thread_ts"] == thread
    assert status["blocks"][0]["text"]["text"].startswith(":hourglass_flowing_sand:")
    updates = fake_slack.calls_to("chat.update")
    progress = [u for u in updates if u.params["ts"] == status["ts"]]
    assert len(progress) >= 2  # agents and tools as they go, edited in place
    assert status["text"].endswith("✅ Pronto")
    answer = next(m for m in rest if "Análise" in m["text"])
    assert answer["thread_ts"] == thread
    assert answer["blocks"][0]["type"] == "header"
    assert len(fake_slack.calls_to("chat.postMessage")) == 1 + len(rest)
