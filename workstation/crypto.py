"""Encryption at rest for card and ID numbers (Fernet), with a keyed lookup digest."""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator


class FieldCipher:
    """Encrypts with the first configured key and decrypts with any of them (key rotation)."""

    def __init__(self) -> None:
        self._fernet: MultiFernet | None = None
        self._lookup_key: bytes | None = None

    def configure(self, keys: str, lookup_key: str | None = None) -> None:
        """Load comma-separated Fernet keys (the first one encrypts new values) and the key of
        the lookup digests, which stays the same when the encryption keys rotate."""
        key_list = [k.strip().encode() for k in keys.split(",") if k.strip()]
        if not key_list:
            raise RuntimeError("DATA_ENCRYPTION_KEYS holds no key")
        self._fernet = MultiFernet([Fernet(k) for k in key_list])
        self._lookup_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"cow-lookup-digest"
        ).derive((lookup_key or keys.split(",")[0].strip()).encode())

    def _require(self) -> MultiFernet:
        if self._fernet is None:
            raise RuntimeError("field encryption is not configured (create_app does it)")
        return self._fernet

    def encrypt(self, plain: str) -> str:
        """Ciphertext for a clear value."""
        return self._require().encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        """Clear value for a ciphertext; raises ValueError when no key opens it."""
        try:
            return self._require().decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("value cannot be decrypted with the configured keys") from exc

    def rotate(self, token: str) -> str:
        """The same value encrypted again with the first (newest) key."""
        return self._require().rotate(token.encode()).decode()

    def lookup_digest(self, plain: str) -> str:
        """A keyed digest to find or de-duplicate a value without storing it in clear."""
        self._require()
        return hmac.new(self._lookup_key, plain.encode(), hashlib.sha256).hexdigest()


cipher = FieldCipher()


class EncryptedString(TypeDecorator):
    """A string column whose value is stored encrypted."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else cipher.encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else cipher.decrypt(value)
