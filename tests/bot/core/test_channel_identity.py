"""The core finds people through what each channel registered, never through its name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core import identity as core_identity
from bot.core.identity import ChannelIdentity, Identity, reply_language, resolve_identity
from storage.models import Role
from vocabulary.inbound import Channel, Inbound


def said(user_id: str) -> Inbound:
    return Inbound(
        channel=Channel.CONSOLE,
        event_id="e1",
        chat_id="chat-1",
        user_id=user_id,
        received_at=datetime.now(UTC),
        text="oi",
    )


def test_a_channels_own_lookup_decides_who_is_talking_and_their_language(
    make_runtime, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox="off", database_url=sqlite_url)
    known = Identity(workspace_id=1, user_id=7, role=Role.APPROVER)
    channel = ChannelIdentity(
        identify=lambda session, inbound: known if inbound.user_id == "ana" else None,
        find_user=lambda session, inbound: None,
        stranger_language=lambda inbound: "en" if inbound.user_id.startswith("x") else None,
    )
    monkeypatch.setitem(core_identity._channels, Channel.CONSOLE, channel)
    with rt.db.session() as session:
        assert resolve_identity(session, said("ana")) == known
        assert resolve_identity(session, said("bia")) is None  # onboarding, no data
        assert reply_language(session, said("xavier"), "pt-BR") == "en"
        assert reply_language(session, said("bia"), "pt-BR") == "pt-BR"  # the default


def test_a_channel_nobody_registered_is_an_error_not_a_guess(
    make_runtime, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox="off", database_url=sqlite_url)
    monkeypatch.delitem(core_identity._channels, Channel.CONSOLE)
    with rt.db.session() as session, pytest.raises(LookupError, match="console"):
        resolve_identity(session, said("ana"))
