"""``/metrics``: the Redis-kept families of :mod:`vocabulary.metrics`, plus live queue depths.

A prometheus-client custom collector reads Redis at scrape time, so what the
workers, the scheduler and the web recorded all shows in one place (see
:mod:`vocabulary.metrics` for why Redis rather than multiprocess files).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from vocabulary.metrics import FAMILIES, read
from vocabulary.queue import QUEUES

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class RedisCollector:
    def __init__(self, redis: Any) -> None:
        self.redis = redis

    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily("mb_queue_depth", "Jobs waiting per RQ queue.", labels=["queue"])
        started = GaugeMetricFamily("mb_queue_started", "Jobs running per queue.", labels=["queue"])
        failed = GaugeMetricFamily(
            "mb_queue_failed", "Jobs in the failed registry per queue.", labels=["queue"]
        )
        for queue in QUEUES:
            depth.add_metric([queue], float(self.redis.llen(f"rq:queue:{queue}")))
            started.add_metric([queue], float(self.redis.zcard(f"rq:wip:{queue}")))
            failed.add_metric([queue], float(self.redis.zcard(f"rq:failed:{queue}")))
        yield from (depth, started, failed)
        for name, (kind, help_text) in FAMILIES.items():
            values = dict(_items(read(self.redis, name)))
            if kind == "histogram":
                yield _histogram(name, help_text, values)
                continue
            label_names = sorted({key for labels in values for key, _ in labels})
            family: Metric = (
                CounterMetricFamily(name, help_text, labels=label_names)
                if kind == "counter"
                else GaugeMetricFamily(name, help_text, labels=label_names)
            )
            for labels, value in values.items():
                found = dict(labels)
                family.add_metric([found.get(n, "") for n in label_names], value)  # type: ignore[attr-defined]
            yield family


def _items(raw: dict[str, float]) -> Iterator[tuple[Any, float]]:
    for field, value in raw.items():
        yield tuple(sorted(json.loads(field).items())), value


def _histogram(name: str, help_text: str, values: dict[Any, float]) -> HistogramMetricFamily:
    series: dict[tuple[tuple[str, str], ...], dict[str, float]] = defaultdict(dict)
    for labels, value in values.items():
        found = dict(labels)
        special = next((k for k in ("le", "__sum", "__count") if k in found), None)
        rest = tuple(
            sorted((k, v) for k, v in found.items() if k not in ("le", "__sum", "__count"))
        )
        part = found["le"] if special == "le" else (special or "")
        series[rest][part] = value
    label_names = sorted({k for rest in series for k, _ in rest})
    family = HistogramMetricFamily(name, help_text, labels=label_names)
    for rest, parts in series.items():
        buckets = sorted(
            ((le, v) for le, v in parts.items() if not le.startswith("__")),
            key=lambda item: float(item[0]),
        )
        labels = dict(rest)
        family.add_metric(
            [labels.get(n, "") for n in label_names], buckets, sum_value=parts.get("__sum", 0.0)
        )
    return family


def render(redis: Any) -> bytes:
    registry = CollectorRegistry()
    registry.register(RedisCollector(redis))  # type: ignore[arg-type]
    return generate_latest(registry)
