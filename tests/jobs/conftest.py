"""The schedule tests' world: see :mod:`tests.support.world`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.world import World, build_world


@pytest.fixture
def make_world(make_runtime: Any, sandbox: Any, sqlite_url: str) -> Any:
    def build(database_url: str | None = None, **settings: Any) -> World:
        return build_world(make_runtime, sandbox, database_url or sqlite_url, **settings)

    return build
