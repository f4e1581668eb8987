"""``/metrics`` shows what every process recorded: the web's acks, a real worker's jobs,
the queues, and the log lines of a job carry the event they are about."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mediabrain.web import create_app
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.conftest import ANA, link, whatsapp_settings
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
from tests.support.waiting import eventually
from tests.support.workers import start_worker

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.postgres]


def _value(text: str, series: str) -> float:
    match = re.search(rf"^{re.escape(series)} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_metrics_gather_acks_jobs_and_queues_from_every_process(
    wa_runtime, sandbox, fake_cloud: FakeCloudAPI, pg_url: str, redis_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rt = wa_runtime(sandbox=sandbox, database_url=pg_url, redis_url=redis_url)
    link(rt, ANA, "viewer")
    client = TestClient(create_app(rt.settings, rt))
    settings = {
        "database_url": pg_url,
        "redis_url": redis_url,
        "data_dir": tmp_path / "worker",
        "sandbox": "on",
        "meta_graph_url": sandbox.url,
        "log_level": "INFO",
        **whatsapp_settings(fake_cloud),
    }
    worker = start_worker(settings, tmp_path / "worker.log", drop=())
    try:
        for text in ("ajuda", "campanhas"):
            body, headers = payloads.signed(payloads.text(ANA, text))
            assert (
                client.post("/whatsapp/webhook", content=body, headers=headers).status_code == 200
            )
        fake_cloud.wait_for(lambda s: len(s) >= 2, timeout=90)

        def scraped() -> str:
            response = client.get("/metrics")
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/plain")
            return response.text

        job = 'mb_job_seconds_count{function="jobs.inbound.process_inbound"}'
        eventually(lambda: _value(scraped(), job) == 2, timeout=30, what="the jobs' metrics")
        text = scraped()
        assert _value(text, 'mb_ack_seconds_count{channel="whatsapp"}') == 2
        assert _value(text, 'mb_ack_seconds_bucket{channel="whatsapp",le="3.0"}') == 2
        assert _value(text, 'mb_queue_depth{queue="high"}') == 0
        assert "mb_meta_usage_pct{" in text  # the sandbox reports usage headers per account
        assert _value(text, 'mb_job_failures_total{function="jobs.inbound.process_inbound"}') == 0
        assert re.search(r" \[event=\d+\]: ", worker.output())  # the job's lines name the event
    finally:
        worker.stop(grace=1)
