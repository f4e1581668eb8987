"""Fixtures for the WhatsApp channel: the fake Cloud API and a WhatsApp-enabled runtime."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI

ANA = "5511988887777"  # a linked approver
BRUNO = "5521977776666"  # a linked viewer
STRANGER = "5531966665555"  # nobody linked this number


@pytest.fixture
def fake_cloud() -> Iterator[FakeCloudAPI]:
    server = FakeCloudAPI().start()
    yield server
    server.stop()


def whatsapp_settings(fake_cloud: FakeCloudAPI) -> dict[str, Any]:
    return {
        "whatsapp_phone_id": payloads.PHONE_ID,
        "whatsapp_token": payloads.TOKEN,
        "whatsapp_app_secret": payloads.APP_SECRET,
        "whatsapp_verify_token": payloads.VERIFY_TOKEN,
        "whatsapp_api_url": fake_cloud.url,
    }


@pytest.fixture
def wa_runtime(make_runtime, fake_cloud):  # type: ignore[no-untyped-def]
    """``wa_runtime(**overrides)``: a prepared runtime whose WhatsApp points at the fake Cloud API."""

    def build(**overrides: Any):  # type: ignore[no-untyped-def]
        return make_runtime(**{**whatsapp_settings(fake_cloud), **overrides})

    return build


def link(rt: Any, number: str, role: str = "approver") -> None:
    from storage.models import Role
    from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace

    with rt.db.session() as session:
        add_user(
            session,
            ensure_workspace(session, DEFAULT_WORKSPACE),
            role=Role(role),
            whatsapp_number=number,
        )
