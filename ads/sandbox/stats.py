"""Request counting, so benchmarks and tests can assert how many upstream calls were made.

``by_path`` counts HTTP requests by version-less path (``/act_1/insights``);
``by_route`` by templated route (``GET /{account}/insights``), which is what a
cache-effectiveness benchmark wants. Items inside a batch are counted
separately (``batch_items``, ``items_by_route``): one batch is one HTTP request.
``writes_by_path`` counts every write (POST or DELETE, batch items included) by path
(``/120210000000000020``), so a soak can check each approved change was written once.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class RequestStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.requests = 0
            self.batch_items = 0
            self.by_path: Counter[str] = Counter()
            self.by_route: Counter[str] = Counter()
            self.items_by_route: Counter[str] = Counter()
            self.errors: Counter[int] = Counter()
            self.writes_by_path: Counter[str] = Counter()

    def record(self, method: str, path: str, route: str, *, batch_item: bool) -> None:
        with self._lock:
            if method in ("POST", "DELETE"):
                self.writes_by_path[path] += 1
            if batch_item:
                self.batch_items += 1
                self.items_by_route[f"{method} {route}"] += 1
            else:
                self.requests += 1
                self.by_path[path] += 1
                self.by_route[f"{method} {route}"] += 1

    def record_error(self, code: int) -> None:
        with self._lock:
            self.errors[code] += 1

    def count(self, contains: str = "", *, include_batch_items: bool = False) -> int:
        """Requests whose route (e.g. ``GET /{account}/insights``) contains ``contains``."""
        with self._lock:
            total = sum(n for route, n in self.by_route.items() if contains in route)
            if include_batch_items:
                total += sum(n for route, n in self.items_by_route.items() if contains in route)
            return total

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self.requests,
                "batch_items": self.batch_items,
                "by_path": dict(self.by_path),
                "by_route": dict(self.by_route),
                "items_by_route": dict(self.items_by_route),
                "errors": {str(k): v for k, v in self.errors.items()},
                "writes_by_path": dict(self.writes_by_path),
            }
