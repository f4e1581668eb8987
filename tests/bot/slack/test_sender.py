"""SlackSender against the fake Slack Web API: posts, threads, charts, in-place updates, hygiene."""

from __future__ import annotations

import time

import pytest

from bot.slack.sender import RESPONSE_URL_REF, SlackDeliveryError, SlackSender
from tests.bot.slack.fake_slack import FakeSlack
from vocabulary import trace
from vocabulary.destinations import Destination
from vocabulary.inbound import Action, Channel, ReplyHints
from vocabulary.outbox import Outbox
from vocabulary.replies import Button, Chart, Reply

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture
def sender(make_runtime, slack_settings, sqlite_url: str) -> SlackSender:
    rt = make_runtime(database_url=sqlite_url, sandbox="off", **slack_settings)
    return SlackSender(rt)


def to(**hints: str) -> Destination:
    return Destination(
        channel=Channel.SLACK,
        chat_id="C0001",
        thread_id=hints.pop("thread", ""),
        hints=ReplyHints.from_payload(hints),
    )


def test_a_report_with_a_chart_goes_into_the_thread(
    sender: SlackSender, fake_slack: FakeSlack
) -> None:
    reply = Reply(
        "*Relatório*\n• Gasto: R$ 10,00",
        kind="report",
        title="Relatório",
        chart=Chart("Gasto e ROAS por dia", PNG, "gasto.png", alt="Gasto diário"),
    )
    ref = sender.send(to(thread="1700000000.000100"), reply)
    (post,) = fake_slack.calls_to("chat.postMessage")
    assert ref == f"C0001:{fake_slack.messages[0]['ts']}"
    assert post.params["thread_ts"] == "1700000000.000100"
    assert post.params["text"].startswith("*Relatório*")
    (url,) = fake_slack.calls_to("files.getUploadURLExternal")
    assert url.params["filename"] == "gasto.png" and url.params["length"] == str(len(PNG))
    (upload,) = fake_slack.calls_to("upload")
    assert upload.body == PNG
    (done,) = fake_slack.calls_to("files.completeUploadExternal")
    assert done.params["channel_id"] == "C0001"
    assert done.params["thread_ts"] == "1700000000.000100"
    assert '"title": "Gasto e ROAS por dia"' in done.params["files"]


def test_progress_is_one_message_updated_in_place(
    sender: SlackSender, fake_slack: FakeSlack
) -> None:
    outbox = Outbox(sender, to())
    outbox.send(Reply("Lendo campanhas…", kind="progress", key="run:1"))
    outbox.send(Reply("Analisando (2/3)…", kind="progress", key="run:1"))
    outbox.send(Reply("Pronto.", kind="progress", key="run:1"))
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    updates = fake_slack.calls_to("chat.update")
    assert [u.params["ts"] for u in updates] == [fake_slack.messages[0]["ts"]] * 2
    (message,) = fake_slack.messages
    assert message["edited"] == 2
    assert message["blocks"][0]["text"]["text"] == ":hourglass_flowing_sand: Pronto."


def test_a_dm_to_a_user_id_returns_a_ref_update_accepts(
    sender: SlackSender, fake_slack: FakeSlack
) -> None:
    card = Reply(
        "Aprovar?", kind="approval", buttons=(Button("Aprovar", Action("approval.approve", "3")),)
    )
    ref = sender.send(Destination(channel=Channel.SLACK, chat_id="U0ANA"), card)
    assert ref is not None and ref.startswith("D0ANA:")  # chat.update needs the DM's channel id
    sender.update(
        Destination(channel=Channel.SLACK, chat_id="U0ANA"), ref, Reply("Aprovado por Ana.")
    )
    (update,) = fake_slack.calls_to("chat.update")
    assert f"{update.params['channel']}:{update.params['ts']}" == ref
    assert fake_slack.messages[0]["text"] == "Aprovado por Ana."


def test_rate_limits_wait_for_retry_after(sender: SlackSender, fake_slack: FakeSlack) -> None:
    fake_slack.fail("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    assert sender.send(to(), Reply("oi"))
    assert time.monotonic() - started >= 1.0
    assert len(fake_slack.calls_to("chat.postMessage")) == 2
    assert len(fake_slack.messages) == 1


def test_server_errors_are_retried_then_reported_in_plain_words(
    sender: SlackSender, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postMessage", status=503, times=2)
    assert sender.send(to(), Reply("oi"))
    assert len(fake_slack.calls_to("chat.postMessage")) == 3
    fake_slack.fail("chat.postMessage", status=500, times=3)
    with pytest.raises(SlackDeliveryError, match="Slack refused to post the message: http_500"):
        sender.send(to(), Reply("oi"))
    fake_slack.fail("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackDeliveryError, match="channel_not_found"):
        sender.send(to(), Reply("oi"))


def test_where_the_bot_is_not_a_member_the_response_url_answers(
    sender: SlackSender, fake_slack: FakeSlack
) -> None:
    fake_slack.not_in_channel.add("C0001")
    destination = to(response_url=fake_slack.response_url("cmd1"), via="command")
    ref = sender.send(destination, Reply("Relatório", title="Relatório"))
    assert ref == RESPONSE_URL_REF
    (answer,) = fake_slack.calls_to("response_url")
    assert answer.params["response_type"] == "in_channel"
    assert answer.params["blocks"][0]["type"] == "header"
    sender.update(destination, ref, Reply("Atualizado"))
    assert fake_slack.calls_to("response_url")[-1].params["replace_original"] is True


def test_errors_answering_a_slash_command_are_ephemeral(
    sender: SlackSender, fake_slack: FakeSlack
) -> None:
    destination = to(response_url=fake_slack.response_url("cmd2"), via="command")
    assert (
        sender.send(destination, Reply("Você precisa do papel de operador.", kind="error")) is None
    )
    (answer,) = fake_slack.calls_to("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert answer.params["text"] == ":warning: Você precisa do papel de operador."
    assert fake_slack.calls_to("chat.postMessage") == []


def test_a_card_that_cannot_be_edited_is_replaced_through_the_response_url(
    sender: SlackSender, fake_slack: FakeSlack
) -> None:
    destination = to(response_url=fake_slack.response_url("click1"))
    sender.update(destination, "C0001:1699999999.000001", Reply("Aprovado."))
    (answer,) = fake_slack.calls_to("response_url")
    assert answer.params["replace_original"] is True and answer.params["text"] == "Aprovado."
    with pytest.raises(SlackDeliveryError, match="message_not_found"):
        sender.update(to(), "C0001:1699999999.000001", Reply("Aprovado."))


def test_a_chart_that_cannot_be_uploaded_is_explained(
    sender: SlackSender, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("files.getUploadURLExternal", error="missing_scope")
    assert sender.send(to(), Reply("Relatório", chart=Chart("Tendência", PNG)))
    note = fake_slack.calls_to("chat.postMessage")[-1]
    assert note.params["text"] == (
        "Não consegui anexar o gráfico (missing_scope). Os números acima estão completos."
    )


def test_without_any_token_the_error_says_what_to_set(
    make_runtime, fake_slack: FakeSlack, sqlite_url: str
) -> None:
    rt = make_runtime(database_url=sqlite_url, sandbox="off", slack_api_url=fake_slack.api_url)
    with pytest.raises(RuntimeError, match="MEDIABRAIN_SLACK_BOT_TOKEN"):
        SlackSender(rt).send(to(), Reply("oi"))


def test_a_turns_reply_is_tagged_and_read_back_in_its_thread_only_when_sure(
    sender: SlackSender, fake_slack: FakeSlack
) -> None:
    """The reconciler's question (issue #14): found in the thread → yes; not found → no,
    unless the answer may have gone through a response_url (unreadable) → cannot tell."""
    thread = to(thread="1700000000.000100")
    with trace.working_on(event=41):
        Outbox(sender, thread).send(Reply("…", kind="progress"))  # not an answer: no tag
        assert sender.already_answered(thread, 41) is False
        Outbox(sender, thread).send(Reply("Pronto.", kind="message"))
    assert [c.params.get("metadata") for c in fake_slack.calls_to("chat.postMessage")] == [
        None,
        {"event_type": "mediabrain_reply", "event_payload": {"event": 41}},
    ]
    assert sender.already_answered(thread, 41) is True
    assert fake_slack.calls_to("conversations.replies")
    assert sender.already_answered(thread, 42) is False
    assert sender.already_answered(to(thread="1700000000.000100", response_url="x"), 42) is None
    fake_slack.not_in_channel.add("C0001")
    assert sender.already_answered(thread, 41) is None  # cannot read the channel
