"""Faults on pieces a test (or the soak, ``bench/soak.py``) owns; shared servers are never touched.

- :class:`PgProxy`: a loopback TCP proxy in front of PostgreSQL; processes connect
  through it, and :meth:`PgProxy.stall` freezes all forwarding (both directions, new
  connections too) for a while, as a frozen database host or a network partition would
  (no ``statement_timeout`` fires: the server never sees the query).
- :class:`RedisServer`: a private ``redis-server`` with AOF (``appendfsync everysec``)
  in its own directory and port; :meth:`RedisServer.restart` SIGKILLs it (a crash:
  up to a second of writes may be lost, as AOF everysec allows) and starts it again.
A worker is killed with ``tests.support.workers.WorkerProcess.kill``.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
from pathlib import Path


class PgProxy:
    """``127.0.0.1:<port>`` → ``upstream``; :meth:`stall` holds every byte for ``seconds``."""

    def __init__(self, upstream: tuple[str, int], port: int = 0) -> None:
        self.upstream = upstream
        self._flowing = threading.Event()
        self._flowing.set()
        self._listener = socket.create_server(("127.0.0.1", port), backlog=256)
        self.port = int(self._listener.getsockname()[1])
        self._closed = False
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, name="pg-proxy", daemon=True).start()

    @classmethod
    def before(cls, database_url: str) -> PgProxy:
        """A proxy in front of the server of ``database_url`` (``postgresql://u@host:port/db``)."""
        from urllib.parse import urlsplit

        parts = urlsplit(database_url)
        return cls((parts.hostname or "127.0.0.1", parts.port or 5432))

    def url(self, database_url: str) -> str:
        """``database_url`` with its host:port replaced by the proxy's."""
        head, _, tail = database_url.rpartition("@")
        _, _, path = tail.partition("/")
        return f"{head}@127.0.0.1:{self.port}/{path}"

    def stall(self, seconds: float) -> None:
        """Forward nothing for ``seconds`` (blocking), then let everything through again."""
        self.freeze()
        try:
            time.sleep(seconds)
        finally:
            self.thaw()

    def freeze(self) -> None:
        self._flowing.clear()

    def thaw(self) -> None:
        self._flowing.set()

    def close(self) -> None:
        self._closed = True
        self._flowing.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            for sock in list(self._sockets):
                with contextlib.suppress(OSError):
                    sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        self._flowing.wait()  # a stalled database does not even answer the handshake
        try:
            server = socket.create_connection(self.upstream, timeout=10)
            server.settimeout(None)
        except OSError:
            client.close()
            return
        with self._lock:
            self._sockets.update((client, server))
        for source, target in ((client, server), (server, client)):
            threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                self._flowing.wait()
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()
            with self._lock:
                self._sockets.discard(source)
                self._sockets.discard(target)


class RedisServer:
    """A private ``redis-server`` with append-only persistence, in ``directory`` on ``port``
    (a free one unless given)."""

    def __init__(self, directory: Path, port: int = 0) -> None:
        self.directory = directory
        self.port = port or _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None
        directory.mkdir(parents=True, exist_ok=True)

    def start(self) -> RedisServer:
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
                "--daemonize",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 20.0) -> None:
        import redis

        deadline = time.monotonic() + timeout
        client = redis.Redis.from_url(self.url, socket_timeout=1)
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise TimeoutError(f"redis-server on {self.port} did not start")

    def restart(self, down: float = 1.0) -> float:
        """SIGKILL it, wait ``down`` seconds, start it again; returns the seconds it was away."""
        started = time.monotonic()
        self.kill()
        time.sleep(down)
        self.start()
        return time.monotonic() - started

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
