"""Serve the Google Ads sandbox: gRPC over loopback TLS, plus its OAuth token endpoint."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import grpc

from ads.google.sandbox.definitions import service_methods
from ads.google.sandbox.failures import SandboxFailure
from ads.google.sandbox.oauth import TokenAuthority, start_token_endpoint
from ads.google.sandbox.service import GoogleAdsApp, handlers
from ads.google.sandbox.tls import loopback_certificate
from ads.sandbox.state import SandboxState

logger = logging.getLogger(__name__)


def _unary(handler: Callable[..., Any]) -> Callable[[Any, grpc.ServicerContext], Any]:
    def call(request: Any, context: grpc.ServicerContext) -> Any:
        try:
            return handler(request, context.invocation_metadata())
        except SandboxFailure as failure:
            failure.abort(context)

    return call


def _streaming(
    handler: Callable[..., Iterator[Any]],
) -> Callable[[Any, grpc.ServicerContext], Iterator[Any]]:
    def call(request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
        try:
            yield from handler(request, context.invocation_metadata())
        except SandboxFailure as failure:
            failure.abort(context)

    return call


def generic_handlers(app: GoogleAdsApp) -> list[grpc.GenericRpcHandler]:
    """One generic handler per service, typed by the library's own method definitions."""
    by_service: dict[str, dict[str, grpc.RpcMethodHandler]] = {}
    full_names: dict[str, str] = {}
    for (service, method), handler in handlers(app).items():
        definition = service_methods(service)[method]
        full_names[service] = definition.service
        if definition.streaming:
            rpc = grpc.unary_stream_rpc_method_handler(
                _streaming(handler),
                request_deserializer=definition.request.deserialize,
                response_serializer=definition.response.serialize,
            )
        else:
            rpc = grpc.unary_unary_rpc_method_handler(
                _unary(handler),
                request_deserializer=definition.request.deserialize,
                response_serializer=definition.response.serialize,
            )
        by_service.setdefault(service, {})[method] = rpc
    return [
        grpc.method_handlers_generic_handler(full_names[service], methods)
        for service, methods in by_service.items()
    ]


@dataclass
class GoogleSandbox:
    """A running Google Ads sandbox: where to point the client, and the world behind it."""

    app: GoogleAdsApp
    endpoint: str  # "localhost:<port>", the client's ``endpoint``
    token_uri: str  # the credentials' ``token_uri``
    certificate_file: Path  # trust it with ``ads.google.sandbox.tls.trust``
    _grpc: grpc.Server
    _token_server: ThreadingHTTPServer

    @property
    def state(self) -> SandboxState:
        return self.app.state

    @property
    def authority(self) -> TokenAuthority:
        return self.app.authority

    def stop(self) -> None:
        self._grpc.stop(grace=None)
        self._token_server.shutdown()
        self._token_server.server_close()

    def __enter__(self) -> GoogleSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_google_sandbox(
    state: SandboxState,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    token_port: int = 0,
    certificate_dir: Path | None = None,
) -> GoogleSandbox:
    """Serve ``state``'s Google customers (share it with the Meta sandbox for one clock)."""
    certificate = loopback_certificate(certificate_dir)
    app = GoogleAdsApp(state, TokenAuthority())
    server = grpc.server(ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers(generic_handlers(app))
    credentials = grpc.ssl_server_credentials([(certificate.key, certificate.certificate)])
    bound = server.add_secure_port(f"{host}:{port}", credentials)
    server.start()
    token_server, token_uri = start_token_endpoint(app.authority, host, token_port)
    endpoint = f"localhost:{bound}"
    logger.info("Google Ads sandbox listening on %s (token endpoint %s)", endpoint, token_uri)
    return GoogleSandbox(
        app, endpoint, token_uri, certificate.certificate_file, server, token_server
    )
