"""A loopback TLS certificate for the gRPC sandbox.

Why: the google-ads client opens a TLS channel carrying OAuth credentials and
offers no switch for plain text. The sandbox therefore serves TLS with a
self-signed certificate for ``localhost`` and ``127.0.0.1``; a process that
talks to it trusts that certificate through gRPC's
``GRPC_DEFAULT_SSL_ROOTS_FILE_PATH`` (read once per process, so one certificate
per directory is made once and reused by every sandbox and client after it).
"""

from __future__ import annotations

import ipaddress
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOTS_ENV = "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"
_LOCK = threading.Lock()


@dataclass(frozen=True)
class LoopbackCertificate:
    certificate_file: Path
    key_file: Path

    @property
    def certificate(self) -> bytes:
        return self.certificate_file.read_bytes()

    @property
    def key(self) -> bytes:
        return self.key_file.read_bytes()


def default_directory() -> Path:
    return Path(tempfile.gettempdir()) / "mediabrain-google-sandbox"


def loopback_certificate(directory: Path | None = None) -> LoopbackCertificate:
    """The certificate in ``directory`` (made on first use; valid ten years)."""
    directory = directory or default_directory()
    cert_file, key_file = directory / "loopback-cert.pem", directory / "loopback-key.pem"
    with _LOCK:
        if cert_file.exists() and key_file.exists():
            return LoopbackCertificate(cert_file, key_file)
        directory.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(
                x509.SubjectAlternativeName(
                    [
                        x509.DNSName("localhost"),
                        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                    ]
                ),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        key_bytes = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        partial = key_file.with_suffix(".tmp")
        partial.write_bytes(key_bytes)
        os.chmod(partial, 0o600)
        partial.replace(key_file)
        partial = cert_file.with_suffix(".tmp")
        partial.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        partial.replace(cert_file)
        return LoopbackCertificate(cert_file, key_file)


def trust(certificate_file: Path) -> None:
    """Make this process's gRPC trust ``certificate_file`` (before its first TLS channel)."""
    os.environ[ROOTS_ENV] = str(certificate_file)
