"""Service logs: where the lines go, and what never appears in them."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from mediabrain.logs import setup_logging
from vocabulary.settings import Settings


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_lines_go_to_stderr_as_it_is_when_written_with_secrets_redacted(
    tmp_path: Path, root_logging: None
) -> None:
    """Set up on one stderr that is later swapped and closed (a test's capture, a redirect),
    the logs follow the new one instead of failing on the closed stream."""
    settings = Settings(data_dir=tmp_path, whatsapp_token="EAAG-very-secret-token")
    at_setup, now = io.StringIO(), io.StringIO()
    with redirect_stderr(at_setup):
        setup_logging(settings)
    at_setup.close()
    with redirect_stderr(now):
        logging.getLogger("mediabrain.test").warning("sent with EAAG-very-secret-token")
    line = now.getvalue()
    assert "WARNING mediabrain.test: sent with" in line
    assert "EAAG-very-secret-token" not in line
