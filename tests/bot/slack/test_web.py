"""POST /slack/events through the real web app: signatures, fast acks, dedupe, Redis down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq import Queue, SimpleWorker
from sqlalchemy import func, select

from storage.models import InboundEvent
from tests.bot.slack import payloads
from tests.bot.slack.conftest import SECRET
from tests.bot.slack.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[3]


def inbound_rows(rt) -> int:  # type: ignore[no-untyped-def]
    with rt.db.session() as session:
        return session.scalar(select(func.count()).select_from(InboundEvent))


def test_forged_missing_or_stale_signatures_are_refused_and_nothing_is_queued(
    slack_app, fake_slack: FakeSlack, pg_url: str, redis_url: str
) -> None:
    rt, slack = slack_app(database_url=pg_url, redis_url=redis_url, sandbox="off")
    command = payloads.slash_command("report", response_url=fake_slack.response_url("r"))
    six_minutes_ago = int(time.time()) - 6 * 60
    refused = [
        slack.post(command, secret="not-the-secret"),
        slack.post(command, signed=False),
        slack.post(command, timestamp=six_minutes_ago),
        slack.post(payloads.app_mention("help"), secret="not-the-secret"),
        slack.post(payloads.app_mention("help"), timestamp=six_minutes_ago),
    ]
    assert [response.status_code for response in refused] == [401] * 5
    assert inbound_rows(rt) == 0
    assert Queue("high", connection=rt.redis).count == 0
    assert rt.redis.keys("mb:dedupe:*") == []
    assert fake_slack.calls_to("chat.postMessage") == []
    # the same command, correctly signed four and a half minutes late, is fine
    late = slack.post(command, timestamp=int(time.time()) - 270)
    assert late.status_code == 200
    assert Queue("high", connection=rt.redis).count == 1


def test_a_slash_command_is_acked_at_once_and_queued_on_high(
    slack_app, fake_slack: FakeSlack, pg_url: str, redis_url: str
) -> None:
    rt, slack = slack_app(database_url=pg_url, redis_url=redis_url, sandbox="off")
    command = payloads.slash_command(
        "report last 7 days", response_url=fake_slack.response_url("r")
    )
    slack.post(command)
    response = slack.post(
        payloads.slash_command("campaigns", response_url=fake_slack.response_url("r"))
    )
    assert response.status_code == 200  # how fast: bench/bench_slack.py
    assert response.text == "⏳ Recebido: `/ads campaigns`. Já te respondo aqui."  # ephemeral
    assert Queue("high", connection=rt.redis).count == 2
    with rt.db.session() as session:
        texts = [row["text"] for row in session.scalars(select(InboundEvent.payload))]
    assert sorted(texts) == ["campaigns", "report last 7 days"]
    assert fake_slack.calls_to("chat.postMessage") == []  # the answer comes from the worker


def test_the_ack_speaks_the_persons_language(
    slack_app, fake_slack: FakeSlack, pg_url: str, redis_url: str
) -> None:
    from storage.models import Role
    from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace, find_user

    rt, slack = slack_app(database_url=pg_url, redis_url=redis_url, sandbox="off")
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        add_user(session, workspace, role=Role.OPERATOR, name="bob", slack_user_id="U0BOB")
        find_user(session, slack_user_id="U0BOB").language = "en"  # type: ignore[union-attr]
    english = slack.post(
        payloads.slash_command(
            "campaigns", user_id="U0BOB", response_url=fake_slack.response_url("r")
        )
    )
    portuguese = slack.post(
        payloads.slash_command("campaigns", response_url=fake_slack.response_url("r"))
    )
    assert english.text == "⏳ Got it: `/ads campaigns`. The answer is on its way."
    assert portuguese.text == "⏳ Recebido: `/ads campaigns`. Já te respondo aqui."


def test_a_retried_event_is_one_job_and_one_reply(
    slack_app, fake_slack: FakeSlack, pg_url: str, redis_url: str
) -> None:
    rt, slack = slack_app(database_url=pg_url, redis_url=redis_url, sandbox="off")
    mention = payloads.app_mention("ajuda", event_id="Ev0RETRY1")
    first = slack.post(mention)
    retry = slack.post(
        mention, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert (first.status_code, retry.status_code) == (200, 200)
    queue = Queue("high", connection=rt.redis)
    assert queue.count == 1
    SimpleWorker([queue], connection=rt.redis).work(burst=True)
    retry_after_work = slack.post(mention, headers={"X-Slack-Retry-Num": "2"})
    assert retry_after_work.status_code == 200 and queue.count == 0
    (posted,) = fake_slack.calls_to("chat.postMessage")
    event = json.loads(mention[0])["event"]
    assert posted.params["channel"] == "C0001"
    assert posted.params["thread_ts"] == event["ts"]  # answered in the mention's thread
    assert posted.token == "xoxb-test-token"
    assert "O que eu sei fazer" in posted.params["text"]
    assert inbound_rows(rt) == 1


def test_redis_down_answers_an_ephemeral_error_and_keeps_nothing(
    slack_app, fake_slack: FakeSlack, sqlite_url: str
) -> None:
    rt, slack = slack_app(database_url=sqlite_url, redis_url="redis://127.0.0.1:1/0", sandbox="off")
    command = slack.post(
        payloads.slash_command("report", response_url=fake_slack.response_url("c"))
    )
    assert command.status_code == 200
    assert command.json() == {
        "text": "Não consegui registrar seu pedido agora (fila indisponível). Tente de novo em instantes.",
        "response_type": "ephemeral",
    }

    mention = slack.post(payloads.app_mention("relatório"))
    assert mention.status_code == 200
    (notice,) = fake_slack.wait_for("chat.postEphemeral")
    assert notice.params["user"] == "U0ANA" and notice.params["channel"] == "C0001"
    assert "fila indisponível" in notice.params["text"]

    message = {"channel": "C0001", "ts": "1700000001.000001"}
    click = slack.post(
        payloads.block_action(
            "approval.approve", "1", message=message, response_url=fake_slack.response_url("k")
        )
    )
    assert click.status_code == 200
    (answer,) = fake_slack.wait_for("response_url")
    assert answer.key == "k"
    assert answer.params["response_type"] == "ephemeral"
    assert answer.params["replace_original"] is False  # the card stays clickable
    assert "fila indisponível" in answer.params["text"]
    assert inbound_rows(rt) == 0
    assert fake_slack.calls_to("chat.postMessage") == []


def test_slacks_retry_of_a_refused_mention_gets_no_second_notice(
    slack_app, fake_slack: FakeSlack, sqlite_url: str
) -> None:
    _, slack = slack_app(database_url=sqlite_url, redis_url="redis://127.0.0.1:1/0", sandbox="off")
    mention = payloads.app_mention("relatório", event_id="Ev0REFUSED", thread_ts="1700000000.1")
    assert slack.post(mention).status_code == 200
    fake_slack.wait_for("chat.postEphemeral")
    retry = slack.post(mention, headers={"X-Slack-Retry-Num": "1"})
    assert retry.status_code == 200
    other = payloads.app_mention("contas", event_id="Ev0OTHER", thread_ts="1700000000.2")
    assert slack.post(other).status_code == 200
    with pytest.raises(TimeoutError):  # the retry said nothing
        fake_slack.wait_for("chat.postEphemeral", count=3, timeout=1.5)
    notices = fake_slack.calls_to("chat.postEphemeral")
    assert [n.params["thread_ts"] for n in notices] == ["1700000000.1", "1700000000.2"]
    assert all("fila indisponível" in n.params["text"] for n in notices)


def test_url_verification_and_oversized_bodies(slack_app, sqlite_url: str) -> None:
    _, slack = slack_app(database_url=sqlite_url, sandbox="off")
    challenge = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "t"})
    response = slack.post((challenge, payloads.JSON))
    assert response.status_code == 200 and response.json() == {"challenge": "abc123"}
    huge = slack.post(("x" * 1_000_001, payloads.FORM))
    assert huge.status_code == 413


def test_the_web_process_with_slack_never_imports_crewai_or_matplotlib(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    code = (
        "import sys\n"
        "from vocabulary.settings import Settings\n"
        "from mediabrain.web import create_app\n"
        "settings = Settings()\n"
        "assert settings.slack_enabled\n"
        "app = create_app(settings)\n"
        "assert any(r.path == '/slack/events' for r in app.routes)\n"
        "from fastapi.testclient import TestClient\n"
        "import time\n"
        "deadline = time.monotonic() + 30\n"
        "while TestClient(app).get('/healthz').json().get('slack') != 'ok' and time.monotonic() < deadline:\n"
        "    time.sleep(0.05)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('crewai', 'matplotlib', 'litellm', 'numpy', 'scipy', 'statsmodels', 'sklearn')))\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MEDIABRAIN_", "SLACK_"))},
        "MEDIABRAIN_DATA_DIR": str(tmp_path),
        "MEDIABRAIN_SANDBOX": "off",
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SECRET,
        "MEDIABRAIN_SLACK_API_URL": fake_slack.api_url,
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    assert [call.method for call in fake_slack.calls] == ["auth.test"]  # the token was checked


@pytest.mark.parametrize("subtype", ["message_changed", "bot_message"])
def test_edits_and_bot_messages_are_acked_and_ignored(
    slack_app, fake_slack: FakeSlack, sqlite_url: str, subtype: str
) -> None:
    rt, slack = slack_app(database_url=sqlite_url, sandbox="off")
    body, ctype = payloads.direct_message("relatório")
    data = json.loads(body)
    data["event"]["subtype"] = subtype
    assert slack.post((json.dumps(data), ctype)).status_code == 200
    assert inbound_rows(rt) == 0


def test_a_retry_after_the_queue_was_down_goes_through(
    slack_app, fake_slack: FakeSlack, pg_url: str, redis_url: str
) -> None:
    down, slack_down = slack_app(
        database_url=pg_url, redis_url="redis://127.0.0.1:1/0", sandbox="off"
    )
    mention = payloads.app_mention("relatório", event_id="Ev0LATER")
    assert slack_down.post(mention).status_code == 200
    fake_slack.wait_for("chat.postEphemeral")  # the user was told to try again
    assert inbound_rows(down) == 0  # nothing kept...
    up, slack_up = slack_app(database_url=pg_url, redis_url=redis_url, sandbox="off")
    retry = slack_up.post(
        mention, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
    )
    assert retry.status_code == 200
    assert Queue("high", connection=up.redis).count == 1  # ...so Slack's retry is processed
    assert inbound_rows(up) == 1
