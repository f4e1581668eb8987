"""The schedule tests' worlds: see :mod:`tests.support.world` and :mod:`tests.support.pushed`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.bot.slack.fake_slack import FakeSlack
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
from tests.support.pushed import Pushed, build_pushed
from tests.support.world import World, build_world


@pytest.fixture
def make_world(make_runtime: Any, sandbox: Any, sqlite_url: str) -> Any:
    def build(database_url: str | None = None, **settings: Any) -> World:
        return build_world(make_runtime, sandbox, database_url or sqlite_url, **settings)

    return build


@pytest.fixture
def make_pushed(make_runtime: Any, sandbox: Any) -> Iterator[Any]:
    """``make_pushed(channel=..., number=..., kinds=(...))``: Slack and WhatsApp fakes running."""
    cloud = FakeCloudAPI().start()
    slack = FakeSlack().start()

    def build(**options: Any) -> Pushed:
        return build_pushed(make_runtime, sandbox, slack, cloud, **options)

    try:
        yield build
    finally:
        slack.stop()
        cloud.stop()
