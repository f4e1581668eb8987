"""``mediabrain sandbox``: the Meta and Google Ads sandboxes over one world and one clock."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

logger = logging.getLogger(__name__)


def serve_sandboxes(
    host: str, port: int, *, seed: int, state_file: Path | None, google_port: int | None = None
) -> None:
    """Serve Graph on ``port``, Google Ads gRPC on ``port + 1`` and its token endpoint on
    ``port + 2`` until interrupted; both platforms share the simulated clock."""
    # the sandbox servers: only this command (and the embedded default) loads them
    from ads.google.sandbox.server import start_google_sandbox
    from ads.sandbox import start_sandbox  # the Meta sandbox: this command only

    meta = start_sandbox(host=host, port=port, seed=seed, state_file=state_file)
    grpc_port = google_port if google_port is not None else port + 1
    google = start_google_sandbox(meta.state, host=host, port=grpc_port, token_port=grpc_port + 1)
    print(f"Meta Marketing API sandbox: {meta.url}  (MEDIABRAIN_META_GRAPH_URL={meta.url})")
    print(
        "Google Ads API sandbox: "
        f"MEDIABRAIN_GOOGLE_ADS_ENDPOINT={google.endpoint} "
        f"MEDIABRAIN_GOOGLE_ADS_TOKEN_URI={google.token_uri} "
        f"MEDIABRAIN_GOOGLE_ADS_CA_FILE={google.certificate_file}",
        flush=True,
    )
    stop = threading.Event()
    try:
        stop.wait()
    except KeyboardInterrupt:
        logger.info("sandboxes stopping")
    finally:
        google.stop()
        meta.stop()
