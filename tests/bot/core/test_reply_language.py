"""Words sent before the core runs (acks, errors, onboarding) are in the person's language."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.identity import reply_language
from storage.models import Role
from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace, workspace_settings
from vocabulary.inbound import Channel, Inbound


def inbound(channel: Channel, user_id: str) -> Inbound:
    return Inbound(
        channel=channel,
        event_id="e1",
        chat_id=user_id,
        user_id=user_id,
        received_at=datetime.now(UTC),
        text="oi",
    )


def test_the_person_then_the_workspace_then_the_numbers_country(
    make_runtime, sqlite_url: str
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox="off", database_url=sqlite_url)
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        add_user(session, workspace, role=Role.VIEWER, whatsapp_number="5511911112222")
        member = add_user(session, workspace, role=Role.VIEWER, whatsapp_number="5511933334444")
        session.flush()
        from storage.models import User

        session.get(User, member.user_id).language = "en"  # type: ignore[union-attr]

    def language(user_id: str) -> str:
        with rt.db.session() as session:
            return reply_language(session, inbound(Channel.WHATSAPP, user_id), "pt-BR")

    assert language("5511933334444") == "en"  # the person chose English
    assert language("5511911112222") == "pt-BR"  # the workspace's language
    with rt.db.session() as session:
        workspace_settings(session, ensure_workspace(session, DEFAULT_WORKSPACE).id).language = "en"
    assert language("5511911112222") == "en"
    # Numbers nobody linked: answered by their country code.
    assert language("14155550100") == "en"
    assert language("5521987654321") == "pt-BR"
