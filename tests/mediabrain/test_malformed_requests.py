"""Malformed requests on every route of the web app: 400/401/403, never a 500, nothing stored.

Each request is what someone without the signing secrets (or Slack / Meta
with a broken body) could send; the app runs with Slack in OAuth mode and
WhatsApp on, so every route it can serve is mounted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mediabrain.web import create_app
from storage.models import InboundEvent
from tests.bot.slack.conftest import SECRET
from tests.bot.slack.fake_slack import FakeSlack
from tests.bot.slack.payloads import FORM, JSON
from tests.bot.whatsapp import payloads as wa
from tests.bot.whatsapp.conftest import ANA, link, whatsapp_settings
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI

REFUSALS = {400, 401, 403}


@pytest.fixture
def web(make_runtime, fake_slack: FakeSlack, fake_cloud: FakeCloudAPI, sqlite_url: str):  # type: ignore[no-untyped-def]
    rt = make_runtime(
        database_url=sqlite_url,
        sandbox="off",
        slack_client_id="1111.2222",
        slack_client_secret="client-secret",
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
        **whatsapp_settings(fake_cloud),
    )
    app = create_app(rt.settings, rt)
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        yield rt, app, client


def _slack(client: TestClient, body: bytes, headers: Mapping[str, str | bytes]) -> int:
    raw = {k.encode(): v if isinstance(v, bytes) else v.encode() for k, v in headers.items()}
    return client.post("/slack/events", content=body, headers=raw).status_code


def _signed_slack(body: bytes, content_type: str) -> dict[str, str]:
    """Slack's signature over raw bytes (what a holder of the secret could send)."""
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
        "Content-Type": content_type,
    }


def _wa_signed(body: bytes) -> dict[str, str]:
    digest = hmac.new(wa.APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}


def stored_events(rt) -> int:  # type: ignore[no-untyped-def]
    with rt.db.session() as session:
        return session.scalar(select(func.count()).select_from(InboundEvent))


def test_slack_events_refuses_malformed_requests_without_a_500(web) -> None:  # type: ignore[no-untyped-def]
    rt, _, client = web
    command = b"command=%2Fads&text=ajuda&team_id=T0001&user_id=U0ANA"
    unsigned: dict[str, dict[str, str | bytes]] = {
        "non-numeric timestamp": {
            "X-Slack-Request-Timestamp": "yesterday",
            "X-Slack-Signature": "v0=" + "0" * 64,
            "Content-Type": FORM,
        },
        "timestamp with spaces inside": {
            "X-Slack-Request-Timestamp": "17 00",
            "X-Slack-Signature": "v0=abc",
            "Content-Type": FORM,
        },
        "non-ASCII digits (latin-1 superscripts)": {
            "X-Slack-Request-Timestamp": "¹²³".encode("latin-1"),
            "X-Slack-Signature": "v0=abc",
            "Content-Type": FORM,
        },
        "no headers at all": {"Content-Type": FORM},
        "a made-up signature": {
            "X-Slack-Request-Timestamp": str(int(time.time())),
            "X-Slack-Signature": "v0=deadbeef",
            "Content-Type": FORM,
        },
    }
    for case, headers in unsigned.items():
        assert _slack(client, command, headers) == 401, case
    # the body is read only after the signature: unparsable and unsigned is still a 401
    assert _slack(client, b"{not json", {"Content-Type": JSON}) == 401
    assert _slack(client, b"\xff\xfe\x00", {"X-Slack-Request-Timestamp": "1"}) == 401

    broken_bodies = {
        "JSON that does not parse": (b'{"type": "event_callback", ', JSON),
        "a JSON array": (b"[1, 2]", JSON),
        "a form whose payload is not JSON": (b"payload=%7Bnot-json", FORM),
        "bytes that are not UTF-8": (b"text=\xff\xfe&team_id=T0001", FORM),
    }
    for case, (body, content_type) in broken_bodies.items():
        assert _slack(client, body, _signed_slack(body, content_type)) == 400, case
    assert stored_events(rt) == 0


def test_slack_install_and_redirect_refuse_garbage(web, fake_slack: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    rt, _, client = web
    install = client.get("/slack/install", params={"x": "\x00", "state": "{{"})
    assert install.status_code == 200  # the "Add to Slack" page, whatever the query
    garbage = [
        {},
        {"code": "abc"},
        {"state": "no-dots"},
        {"code": "abc", "state": "a.b.c"},
        {"code": "abc", "state": "nonce.notanumber.sig"},
        {"code": "\x00", "state": "\x00.\x00.\x00"},
    ]
    for params in garbage:
        response = client.get("/slack/oauth_redirect", params=params)
        assert response.status_code in REFUSALS, (params, response.status_code)
    # Slack's "cancelled" redirect: Bolt's failure page, nothing installed
    cancelled = client.get("/slack/oauth_redirect", params={"error": "x\x00", "state": "a.1.b"})
    assert cancelled.status_code == 200
    assert fake_slack.calls_to("oauth.v2.access") == []
    assert stored_events(rt) == 0


def test_whatsapp_webhook_refuses_malformed_requests_without_a_500(web) -> None:  # type: ignore[no-untyped-def]
    rt, _, client = web
    url = "/whatsapp/webhook"
    assert client.post(url, content=b"{not json").status_code == 401  # unsigned
    assert client.post(url, content=b"\xff", headers={"X-Hub-Signature-256": "x"}).status_code in (
        REFUSALS
    )
    assert (
        client.post(
            url, content=b"{}", headers={"X-Hub-Signature-256": "sha256=" + "0" * 64}
        ).status_code
        == 403
    )
    message = wa.text(ANA, "oi")  # any well-formed update, to break it up
    shapes = {
        "JSON that does not parse": b"{not json",
        "bytes that are not UTF-8": b"\xff\xfe",
        "a JSON array": b"[]",
        "a JSON string": b'"entry"',
        "entry is a number": json.dumps({**message, "entry": 5}).encode(),
        "entry holds numbers": json.dumps({**message, "entry": [5]}).encode(),
        "changes is text": json.dumps({**message, "entry": [{"changes": "x"}]}).encode(),
        "value is a number": json.dumps(
            {**message, "entry": [{"changes": [{"value": 5}]}]}
        ).encode(),
        "messages hold numbers": json.dumps(
            {**message, "entry": [{"changes": [{"value": {"messages": [5]}}]}]}
        ).encode(),
        "statuses is an object": json.dumps(
            {**message, "entry": [{"changes": [{"value": {"statuses": {"a": 1}}}]}]}
        ).encode(),
    }
    for case, body in shapes.items():
        assert client.post(url, content=body, headers=_wa_signed(body)).status_code == 400, case
    assert stored_events(rt) == 0

    challenges = [
        {},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": "\x00", "hub.challenge": "1"},
    ]
    for params in challenges:
        assert client.get(url, params=params).status_code in REFUSALS, params


def test_every_route_is_covered_above(web) -> None:  # type: ignore[no-untyped-def]
    """A new webhook route must get its malformed-request test here."""
    _, app, _ = web
    routes = {
        (method, route.path)
        for route in app.routes
        if isinstance(route, APIRoute)
        for method in route.methods or ()
    }
    assert routes == {
        ("GET", "/healthz"),  # takes no input
        ("GET", "/metrics"),  # takes no input (Prometheus scrapes it)
        ("POST", "/slack/events"),
        ("GET", "/slack/install"),
        ("GET", "/slack/oauth_redirect"),
        ("GET", "/whatsapp/webhook"),
        ("POST", "/whatsapp/webhook"),
    }


@pytest.mark.postgres
def test_a_slack_message_with_a_nul_byte_gets_a_normal_answer_on_postgres(
    slack_app, fake_slack: FakeSlack, pg_url: str
) -> None:
    from storage.models import Message, User
    from tests.bot.slack import payloads

    rt, slack = slack_app(database_url=pg_url, sandbox="off")
    body, content_type = payloads.direct_message("ajuda")
    event = json.loads(body)
    event["event"]["text"] = "aju\u0000da"  # json.dumps sends it escaped: \u0000
    event["event"]["user"] = "U0\ud800N\u0000UL"  # a lone surrogate: invalid UTF-8
    response = slack.post((json.dumps(event), content_type))
    assert response.status_code == 200
    rt.queue.drain()  # no Redis: the turn ran on the web app's background thread
    (answer,) = fake_slack.wait_for("chat.postMessage")
    assert answer.params["text"].startswith("*O que eu sei fazer*")
    with rt.db.session() as session:
        texts = list(session.scalars(select(Message.text).where(Message.role == "user")))
        people = list(session.scalars(select(User.slack_user_id)))
    assert texts == ["ajuda"]
    assert people == ["U0\ufffdNUL"]


@pytest.mark.postgres
def test_a_whatsapp_message_with_a_nul_byte_gets_a_normal_answer_on_postgres(
    wa_runtime, fake_cloud: FakeCloudAPI, pg_url: str
) -> None:
    rt = wa_runtime(database_url=pg_url, sandbox="off")
    link(rt, ANA, "admin")
    client = TestClient(create_app(rt.settings, rt))
    body, headers = wa.signed(wa.text(ANA, "aj\u0000uda"))
    assert client.post("/whatsapp/webhook", content=body, headers=headers).status_code == 200
    rt.queue.drain()
    fake_cloud.wait_for(lambda sent: any(m.to == ANA for m in sent), timeout=30)
    assert any("O que eu sei fazer" in m.text for m in fake_cloud.to(ANA))
