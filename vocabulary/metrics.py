"""Counters and histograms every process writes to Redis, read by the web's ``/metrics``.

Why Redis rather than prometheus-client's multiprocess mode: RQ forks a work
horse per job (and workers may run on other hosts than ``serve``), so
in-memory metrics die with the horse and a shared ``PROMETHEUS_MULTIPROC_DIR``
only spans one host. Each observation is one pipelined ``HINCRBYFLOAT`` on
``mb:metrics:<name>`` (field = the labels, JSON); ``mediabrain/metrics.py``
turns the hashes into Prometheus families at scrape time. Writing never raises:
a metric is not worth failing a turn.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

logger = logging.getLogger(__name__)

PREFIX = "mb:metrics:"
#: Seconds; acks must stay under Slack's 3 s, jobs span milliseconds to minutes.
ACK_BUCKETS: tuple[float, ...] = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
JOB_BUCKETS: tuple[float, ...] = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0)

#: name → (kind, help): the families ``/metrics`` exposes.
FAMILIES: dict[str, tuple[str, str]] = {
    "mb_ack_seconds": ("histogram", "Webhook acceptance latency (dedupe, store, enqueue)."),
    "mb_job_seconds": ("histogram", "RQ job duration by function."),
    "mb_job_failures": ("counter", "RQ jobs that failed, by function."),
    "mb_llm_tokens": ("counter", "LLM tokens used, by kind (prompt, completion) and model."),
    "mb_alerts_sent": ("counter", "Proactive alerts delivered to people, by message key."),
    "mb_alarms": ("counter", "Alerts nobody could be told (logged as ALARM)."),
    "mb_meta_usage_pct": ("gauge", "Latest Meta rate-limit usage per ad account (peak %)."),
}


def _field(labels: Mapping[str, str]) -> str:
    return _field_of(tuple(sorted(labels.items())))


@functools.lru_cache(maxsize=4096)
def _field_of(items: tuple[tuple[str, str], ...]) -> str:
    """Label sets repeat (a histogram writes 13 per observation): JSON-encoded once each."""
    return json.dumps(dict(items), separators=(",", ":"))


def incr(redis: Any, name: str, labels: Mapping[str, str], by: float = 1.0) -> None:
    if redis is None:
        return
    try:
        redis.hincrbyfloat(PREFIX + name, _field(labels), by)
    except Exception:
        logger.debug("metrics: %s not recorded", name, exc_info=True)


def counter_field(name: str, labels: Mapping[str, str]) -> tuple[str, str]:
    """The (key, field) :func:`incr` adds to, for a caller's pipeline."""
    return PREFIX + name, _field(labels)


def gauge(redis: Any, name: str, labels: Mapping[str, str], value: float) -> None:
    if redis is None:
        return
    try:
        redis.hset(PREFIX + name, _field(labels), value)
    except Exception:
        logger.debug("metrics: %s not recorded", name, exc_info=True)


def observe(
    redis: Any, name: str, labels: Mapping[str, str], value: float, buckets: Sequence[float]
) -> None:
    """One histogram observation: cumulative bucket counts, ``_sum`` and ``_count``."""
    if redis is None:
        return
    try:
        pipe = redis.pipeline(transaction=False)
        observe_on(pipe, name, labels, value, buckets)
        pipe.execute()
    except Exception:
        logger.debug("metrics: %s not recorded", name, exc_info=True)


def observe_on(
    pipe: Any, name: str, labels: Mapping[str, str], value: float, buckets: Sequence[float]
) -> None:
    """:func:`observe`'s writes queued on a pipeline the caller executes (one round trip
    for a metric and the work it measures); the caller owns any error."""
    key = PREFIX + name
    for bound in (*buckets, float("inf")):
        if value <= bound:
            pipe.hincrbyfloat(key, _field({**labels, "le": _le(bound)}), 1)
    pipe.hincrbyfloat(key, _field({**labels, "__sum": "1"}), value)
    pipe.hincrbyfloat(key, _field({**labels, "__count": "1"}), 1)


def _le(bound: float) -> str:
    return "+Inf" if bound == float("inf") else repr(float(bound))


def read(redis: Any, name: str) -> dict[str, float]:
    """Every field of a family (label JSON → value), for the collector."""
    raw = redis.hgetall(PREFIX + name) or {}
    out: dict[str, float] = {}
    for field, value in raw.items():
        key = field.decode() if isinstance(field, bytes) else str(field)
        out[key] = float(value)
    return out
