"""A process pointed at a standalone sandbox reads its simulated clock over HTTP."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def test_the_clock_of_a_standalone_sandbox_follows_it_read_after_read(
    make_runtime: Any, sandbox: Any
) -> None:
    rt = make_runtime(meta_graph_url=sandbox.url)  # a URL, not the embedded server
    assert rt.sandbox is None

    first = rt.now()
    sandbox.advance_clock(hours=3)
    later = rt.now()

    assert first == sandbox.now() - timedelta(hours=3)
    assert later == sandbox.now()
