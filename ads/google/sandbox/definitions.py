"""The gRPC methods the sandbox serves, read from the google-ads library's generated transports.

Why: the sandbox must answer exactly what the real client sends. GAPIC transports
know each RPC's path and its request and response message classes; they hand
them to the channel when a stub is first made. A recording channel collects
them, so the server's method table comes from the library itself, for the
API version the client uses, and can never drift from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import grpc

API_VERSION = "v26"


@dataclass(frozen=True)
class MethodDefinition:
    service: str  # "google.ads.googleads.v26.services.GoogleAdsService"
    name: str  # "SearchStream"
    streaming: bool  # server streaming
    request: Any  # proto-plus message class
    response: Any


class _Stub:
    def __call__(self, *args: Any, **kwargs: Any) -> None:  # pragma: no cover - never called
        raise RuntimeError("recording channel")


class _RecordingChannel(grpc.Channel):
    """A channel that only writes down the stubs a transport asks for."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, bool, Callable[..., Any], Callable[..., Any]]] = []

    def _record(self, path: str, streaming: bool, serializer: Any, deserializer: Any) -> _Stub:
        self.seen.append((path, streaming, serializer, deserializer))
        return _Stub()

    def unary_unary(
        self,
        method: str,
        request_serializer: Any = None,
        response_deserializer: Any = None,
        _registered_method: bool = False,
    ) -> Any:  # type: ignore[override]
        return self._record(method, False, request_serializer, response_deserializer)

    def unary_stream(
        self,
        method: str,
        request_serializer: Any = None,
        response_deserializer: Any = None,
        _registered_method: bool = False,
    ) -> Any:  # type: ignore[override]
        return self._record(method, True, request_serializer, response_deserializer)

    def stream_unary(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def stream_stream(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def subscribe(self, *args: Any, **kwargs: Any) -> None:
        return None

    def unsubscribe(self, *args: Any, **kwargs: Any) -> None:
        return None

    def close(self) -> None:
        return None


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def service_methods(service: str, version: str = API_VERSION) -> dict[str, MethodDefinition]:
    """``{"Search": ..., "SearchStream": ...}`` for e.g. ``service="GoogleAdsService"``."""
    module = import_module(
        f"google.ads.googleads.{version}.services.services.{_snake(service)}.transports.grpc"
    )
    transport_class = getattr(module, f"{service}GrpcTransport")
    channel = _RecordingChannel()
    transport = transport_class(channel=channel)
    # Unary stubs go through the transport's logging interceptor, which opens the
    # real stub only on the first call: ask for the stubs on the bare channel.
    transport._logged_channel = channel
    transport._stubs.clear()
    for name, attribute in vars(transport_class).items():
        if isinstance(attribute, property) and name not in ("grpc_channel", "host", "kind"):
            getattr(transport, name)
    methods: dict[str, MethodDefinition] = {}
    for path, streaming, serializer, deserializer in channel.seen:
        service_name, method = path.strip("/").split("/")
        methods[method] = MethodDefinition(
            service_name,
            method,
            streaming,
            getattr(serializer, "__self__"),  # noqa: B009 - the bound classmethod's message class
            getattr(deserializer, "__self__"),  # noqa: B009
        )
    return methods
