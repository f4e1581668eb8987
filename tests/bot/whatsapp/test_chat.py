"""Conversations over WhatsApp on the embedded default (jobs in-process): identity and linking."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from mediabrain.web import create_app
from storage.models import AuditEntry, Membership, User
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.conftest import ANA, BRUNO, STRANGER, link
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
from tests.support.waiting import eventually

URL = "/whatsapp/webhook"


def _say(client: TestClient, fake: FakeCloudAPI, number: str, payload: dict) -> str:  # type: ignore[type-arg]
    before = len(fake.to(number))
    body, headers = payloads.signed(payload)
    assert client.post(URL, content=body, headers=headers).status_code == 200
    fake.wait_for(lambda sent: len([m for m in sent if m.to == number]) > before, timeout=30)
    return "\n".join(m.text for m in fake.to(number)[before:])


def test_an_admin_links_a_number_from_chat(wa_runtime, sandbox, fake_cloud, sqlite_url) -> None:
    """The link completes only when the number's owner answers the code sent to it (issue 13)."""
    rt = wa_runtime(sandbox=sandbox, database_url=sqlite_url)
    link(rt, ANA, "admin")
    link(rt, BRUNO, "viewer")
    client = TestClient(create_app(rt.settings, rt))

    before = _say(client, fake_cloud, STRANGER, payloads.text(STRANGER, "campanhas"))
    assert "Ainda não conheço este número" in before

    refused = _say(client, fake_cloud, BRUNO, payloads.text(BRUNO, f"vincular {STRANGER} admin"))
    assert "administrador" in refused and "leitor" in refused

    asked = _say(client, fake_cloud, ANA, payloads.text(ANA, "vincular +55 31 96666-5555 operador"))
    assert asked.startswith(f"Enviei um código para +{STRANGER}. O número só fica vinculado")
    code = sent_code(fake_cloud, STRANGER)

    still = _say(client, fake_cloud, STRANGER, payloads.text(STRANGER, "campanhas"))
    assert "Ainda não conheço este número" in still  # not linked until the owner answers

    done = _say(client, fake_cloud, STRANGER, payloads.text(STRANGER, code))
    assert done.startswith("Pronto: este número agora está vinculado ao workspace")
    after = _say(client, fake_cloud, STRANGER, payloads.text(STRANGER, "campanhas"))
    assert "Ainda não conheço" not in after and "R$" in after

    with rt.db.session() as session:
        user = session.scalars(select(User).where(User.whatsapp_number == STRANGER)).one()
        membership = session.scalars(select(Membership).where(Membership.user_id == user.id)).one()
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "user.link_whatsapp")
        ).one()
    assert membership.role == "operator"
    _wait_for_records(rt, len(fake_cloud.sent))  # written once the turn released SQLite's lock
    assert (entry.subject, entry.detail["role"], entry.channel, entry.detail["verified"]) == (
        STRANGER,
        "operator",
        "whatsapp",
        True,
    )


def sent_code(fake: FakeCloudAPI, number: str) -> str:
    """The one-time code in the last message sent to ``number``."""
    match = re.search(r"\b(\d{6})\b", fake.to(number)[-1].text)
    assert match, fake.to(number)[-1].text
    return match.group(1)


def _wait_for_records(rt, count: int) -> None:  # type: ignore[no-untyped-def]
    from storage.models import OutboundMessage

    def all_recorded() -> list[OutboundMessage] | None:
        with rt.db.session() as session:
            rows = list(session.scalars(select(OutboundMessage)))
        return rows if len(rows) >= count else None

    rows = eventually(all_recorded, timeout=10, what=f"{count} delivery records")
    assert len(rows) == count
    assert {row.status for row in rows} == {"accepted"}


def test_english_and_invalid_numbers(wa_runtime, sandbox, fake_cloud, sqlite_url) -> None:
    rt = wa_runtime(sandbox=sandbox, database_url=sqlite_url, language="en")
    link(rt, ANA, "admin")
    client = TestClient(create_app(rt.settings, rt))
    with rt.db.session() as session:
        session.scalars(select(User).where(User.whatsapp_number == ANA)).one().language = "en"

    invalid = _say(client, fake_cloud, ANA, payloads.text(ANA, "link 12345 as operator"))
    assert "couldn't read that number" in invalid
    asked = _say(client, fake_cloud, ANA, payloads.text(ANA, f"link {BRUNO} as approver"))
    assert asked == (
        f"I sent a code to +{BRUNO}. The number is linked as approver only when its owner "
        "answers with that code from their own WhatsApp (valid for 15 minutes)."
    )


def test_a_photo_without_caption_gets_a_text_only_hint(
    wa_runtime, sandbox, fake_cloud, sqlite_url
) -> None:
    rt = wa_runtime(sandbox=sandbox, database_url=sqlite_url)
    link(rt, ANA, "viewer")
    client = TestClient(create_app(rt.settings, rt))
    hint = _say(client, fake_cloud, ANA, payloads.image(ANA))
    assert hint.startswith("Por enquanto só entendo mensagens de texto")


def test_help_buttons_round_trip(wa_runtime, sandbox, fake_cloud, sqlite_url) -> None:
    """The help menu's buttons come back as clicks and run their command."""
    rt = wa_runtime(sandbox=sandbox, database_url=sqlite_url)
    link(rt, ANA, "viewer")
    client = TestClient(create_app(rt.settings, rt))
    _say(client, fake_cloud, ANA, payloads.text(ANA, "ajuda"))
    [menu] = fake_cloud.to(ANA)  # the help and its buttons in one message
    assert menu.type == "interactive" and menu.text.startswith("*O que eu sei fazer*")
    title, data = next(b for b in menu.buttons if b[1].startswith("command|campanhas"))
    listed = _say(client, fake_cloud, ANA, payloads.button_click(ANA, data, title))
    assert "R$" in listed
