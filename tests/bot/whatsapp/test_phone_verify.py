"""Issue 13, hole 5: a WhatsApp number is linked only by its owner, to one workspace at a time.

Each test is what an attacker (another workspace's admin) would send: signed pywa
webhooks, the fake Cloud API as the phones, jobs in-process.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from bot.core.phone_verify import MAX_ATTEMPTS, code_shape, judge
from mediabrain.web import create_app
from storage.clock import utcnow
from storage.models import Membership, PhoneLinkChallenge, Role, User, Workspace
from storage.repositories import add_user, ensure_workspace
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.conftest import ANA, STRANGER, link
from tests.bot.whatsapp.test_chat import _say, sent_code

RIVAL = "5541955554444"  # the admin of another workspace


def _two_workspaces(rt) -> None:  # type: ignore[no-untyped-def]
    link(rt, ANA, "admin")
    with rt.db.session() as session:
        rival = ensure_workspace(session, "rival", name="Rival Ltda")
        add_user(session, rival, role=Role.ADMIN, whatsapp_number=RIVAL)


def _workspaces_of(rt, number: str) -> list[str]:  # type: ignore[no-untyped-def]
    with rt.db.session() as session:
        return list(
            session.scalars(
                select(Workspace.slug)
                .join(Membership, Membership.workspace_id == Workspace.id)
                .join(User, User.id == Membership.user_id)
                .where(User.whatsapp_number == number)
            )
        )


def test_another_workspace_cannot_take_a_number_without_its_owner(
    wa_runtime, sandbox, fake_cloud, sqlite_url
) -> None:
    rt = wa_runtime(sandbox=sandbox, database_url=sqlite_url)
    _two_workspaces(rt)
    client = TestClient(create_app(rt.settings, rt))

    # A number that belongs to a workspace cannot be claimed by another one.
    to_ana = len(fake_cloud.to(ANA))
    taken = _say(client, fake_cloud, RIVAL, payloads.text(RIVAL, f"vincular {ANA} operador"))
    assert taken == f"O número +{ANA} já está vinculado a outro workspace; nada foi alterado."
    assert len(fake_cloud.to(ANA)) == to_ana  # and its owner is not even bothered

    # A free number: the rival's request only sends its owner a code naming the rival.
    asked = _say(client, fake_cloud, RIVAL, payloads.text(RIVAL, f"vincular {STRANGER} admin"))
    assert asked.startswith(f"Enviei um código para +{STRANGER}")
    rival_code = sent_code(fake_cloud, STRANGER)
    assert "Rival Ltda" in fake_cloud.to(STRANGER)[-1].text
    assert "ignore esta mensagem" in fake_cloud.to(STRANGER)[-1].text
    report = _say(client, fake_cloud, STRANGER, payloads.text(STRANGER, "relatório"))
    assert "Ainda não conheço este número" in report and "R$" not in report
    assert _workspaces_of(rt, STRANGER) == []

    # The owner accepts their own workspace's code instead; the rival's code is void.
    _say(client, fake_cloud, ANA, payloads.text(ANA, f"vincular {STRANGER} operador"))
    ours = sent_code(fake_cloud, STRANGER)
    assert ours != rival_code
    done = _say(client, fake_cloud, STRANGER, payloads.text(STRANGER, ours))
    assert done.startswith("Pronto: este número agora está vinculado ao workspace")
    assert _workspaces_of(rt, STRANGER) == ["default"]
    with rt.db.session() as session:
        states = dict(
            session.execute(
                select(PhoneLinkChallenge.workspace_id, PhoneLinkChallenge.status)
            ).all()
        )
        rival_id = session.scalars(select(Workspace.id).where(Workspace.slug == "rival")).one()
    assert states[rival_id] == "dead"

    again = _say(client, fake_cloud, RIVAL, payloads.text(RIVAL, f"vincular {STRANGER} admin"))
    assert again.startswith(f"O número +{STRANGER} já está vinculado a outro workspace")


def test_wrong_codes_run_out_and_the_code_is_only_kept_hashed(
    wa_runtime, sandbox, fake_cloud, sqlite_url
) -> None:
    rt = wa_runtime(sandbox=sandbox, database_url=sqlite_url)
    link(rt, ANA, "admin")
    client = TestClient(create_app(rt.settings, rt))
    _say(client, fake_cloud, ANA, payloads.text(ANA, f"vincular {STRANGER} admin"))
    code = sent_code(fake_cloud, STRANGER)
    with rt.db.session() as session:
        stored = session.scalars(select(PhoneLinkChallenge)).one()
        assert len(stored.code_hash) == 64 and code not in stored.code_hash

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    answers = [
        _say(client, fake_cloud, STRANGER, payloads.text(STRANGER, wrong))
        for _ in range(MAX_ATTEMPTS)
    ]
    assert answers[0] == f"Código incorreto. Restam {MAX_ATTEMPTS - 1} tentativas."
    assert answers[-1].startswith("Código incorreto, e as tentativas acabaram")
    late = _say(client, fake_cloud, STRANGER, payloads.text(STRANGER, code))
    assert "Ainda não conheço este número" in late
    assert _workspaces_of(rt, STRANGER) == []


def test_an_expired_code_links_nothing(wa_runtime, sandbox, fake_cloud, sqlite_url) -> None:
    rt = wa_runtime(sandbox=sandbox, database_url=sqlite_url)
    link(rt, ANA, "admin")
    client = TestClient(create_app(rt.settings, rt))
    _say(client, fake_cloud, ANA, payloads.text(ANA, f"vincular {STRANGER} admin"))
    code = sent_code(fake_cloud, STRANGER)
    with rt.db.session() as session:  # a quarter of an hour later
        session.execute(
            update(PhoneLinkChallenge).values(expires_at=utcnow() - timedelta(seconds=1))
        )
    expired = _say(client, fake_cloud, STRANGER, payloads.text(STRANGER, code))
    assert expired == "Esse código expirou. Peça a um administrador do workspace para enviar outro."
    assert _workspaces_of(rt, STRANGER) == []


def test_answers_and_judgements() -> None:
    assert [code_shape(t) for t in ("123456", "123 456", "código: 123-456", "12345", "oi")] == [
        "123456",
        "123456",
        "123456",
        None,
        None,
    ]
    now = utcnow()
    later = now + timedelta(minutes=15)
    assert judge(later, 0, "a" * 64, "a" * 64, now) == "match"
    assert judge(later, 0, "a" * 64, "b" * 64, now) == "wrong"
    assert judge(now, 0, "a" * 64, "a" * 64, now) == "expired"
    assert judge(later, MAX_ATTEMPTS, "a" * 64, "a" * 64, now) == "spent"
