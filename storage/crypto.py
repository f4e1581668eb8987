"""Access tokens at rest: Fernet-encrypted with MEDIABRAIN_SECRET_KEY."""

from __future__ import annotations

from cryptography.fernet import Fernet


class TokenCipher:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def encrypt(self, token: str) -> bytes:
        return self._fernet.encrypt(token.encode())

    def decrypt(self, blob: bytes) -> str:
        return self._fernet.decrypt(blob).decode()

    def __repr__(self) -> str:
        return "TokenCipher(<redacted>)"
