"""Reply hints travel with a queued event and a job's destination, old stored dicts included."""

from __future__ import annotations

from datetime import UTC, datetime

from vocabulary.destinations import Destination
from vocabulary.inbound import Channel, Inbound, ReplyHints

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def clicked() -> Inbound:
    return Inbound(
        channel=Channel.SLACK,
        event_id="action:1",
        chat_id="C1",
        user_id="U1",
        received_at=NOW,
        team_id="T1",
        reply_hints=ReplyHints(via="action", message_ref="C1:1.2", response_url="http://r/1"),
    )


def test_an_inbound_and_its_destination_survive_the_queue() -> None:
    inbound = clicked()
    assert Inbound.from_payload(inbound.to_payload()) == inbound
    to = Destination.reply_to(inbound, "pt-BR")
    assert to.hints == ReplyHints(
        via="action", message_ref="C1:1.2", response_url="http://r/1", team_id="T1"
    )
    assert Destination.from_payload(to.to_payload()) == to


def test_payloads_stored_by_earlier_releases_still_read() -> None:
    old = clicked().to_payload()
    old["reply_hints"] = {"via": "command", "command": "/ads oi", "future_key": "x"}
    assert Inbound.from_payload(old).reply_hints == ReplyHints(via="command", command="/ads oi")
    del old["reply_hints"]
    assert Inbound.from_payload(old).reply_hints == ReplyHints()
    stored = Destination.reply_to(clicked(), "en").to_payload()
    stored["hints"] = {"team_id": "T9", "response_url": "http://r/2"}
    assert Destination.from_payload(stored).hints == ReplyHints(
        response_url="http://r/2", team_id="T9"
    )
    assert clicked().to_payload()["reply_hints"] == {
        "via": "action",
        "message_ref": "C1:1.2",
        "response_url": "http://r/1",
    }  # the stored form is still a plain dict of the hints that are set
