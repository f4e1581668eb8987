"""Fault injection: make the next N matching requests fail the way Meta fails.

A connector's retry, backoff, token-expiry and ambiguous-write handling can
only be tested if the failures are on demand and exact. A fault matches
requests whose path contains ``path_contains`` (any request when unset),
applies to the next ``count`` of them, then disappears. ``slow`` only delays,
so it combines with one failing fault on the same request. ``batch_item_error``
only hits items inside a batch; every other kind hits plain requests and batch
items alike (a plain ``POST /`` batch request included).
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any, Literal

FaultKind = Literal[
    "server_error", "slow", "throttle", "expired_token", "batch_item_error", "timeout"
]
FAULT_KINDS: tuple[str, ...] = (
    "server_error",
    "slow",
    "throttle",
    "expired_token",
    "batch_item_error",
    "timeout",
)


@dataclass
class Fault:
    kind: str
    count: int = 1
    path_contains: str | None = None
    #: slow / timeout: seconds to sleep (timeout defaults to 35s, beyond client timeouts).
    seconds: float | None = None
    #: throttle: minutes reported in estimated_time_to_regain_access.
    regain_after_minutes: int | None = None
    #: Graph error code to use instead of the kind's default (e.g. 4, 613, 80000, 1).
    code: int | None = None
    #: timeout: also perform the request (the write happens, the answer is lost).
    apply: bool = False
    #: expired_token: expire this token for good (until faults are cleared) instead of
    #: failing the next ``count`` requests whatever their token.
    token: str | None = None
    #: Only requests with this HTTP method (e.g. "POST": hit the write, not the reads
    #: before it). A test-harness filter, not a Meta behaviour.
    method: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class FaultInjector:
    """Thread-safe queue of pending faults."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; expected one of {FAULT_KINDS}")
        if fault.count < 1:
            raise ValueError("fault count must be at least 1")
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[Fault]:
        with self._lock:
            return [Fault(**asdict(f)) for f in self._faults]

    def take(self, path: str, *, batch_item: bool, method: str | None = None) -> list[Fault]:
        """The faults hitting this request, consuming one use of each.

        ``slow`` is a delay, the other kinds are outcomes: a request gets at most
        one of each, so a slow fault and an error fault queued together make one
        slow request that then fails.
        """
        chosen: dict[bool, Fault] = {}
        with self._lock:
            for fault in list(self._faults):
                is_delay = fault.kind == "slow"
                if is_delay in chosen:
                    continue
                if fault.kind == "batch_item_error" and not batch_item:
                    continue
                if fault.path_contains and fault.path_contains not in path:
                    continue
                if fault.method and method and fault.method.upper() != method.upper():
                    continue
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.remove(fault)
                chosen[is_delay] = fault
        return [chosen[key] for key in (True, False) if key in chosen]
