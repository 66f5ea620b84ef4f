"""Hashers for passwords brought in from courts' old CM/ECF systems.

Django's `check_password` picks the hasher from the stored hash's prefix, so an
imported hash is checked without ever knowing the password. Raw bcrypt hashes
(`$2b$...`) are stored with Django's `bcrypt$` prefix; see `normalize_imported_hash`.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare


class SaltedSHA256Hasher(BasePasswordHasher):
    """`sha256$<salt>$<hex of sha256(salt + password)>`, as old CM/ECF exports hold."""

    algorithm = "sha256"

    def encode(self, password: str, salt: str) -> str:
        self._check_encode_args(password, salt)
        digest = hashlib.sha256((salt + password).encode()).hexdigest()
        return f"{self.algorithm}${salt}${digest}"

    def decode(self, encoded: str) -> dict:
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "salt": salt, "hash": digest}

    def verify(self, password: str, encoded: str) -> bool:
        decoded = self.decode(encoded)
        return constant_time_compare(encoded, self.encode(password, decoded["salt"]))

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {
            "algorithm": decoded["algorithm"],
            "salt": mask_hash(decoded["salt"]),
            "hash": mask_hash(decoded["hash"]),
        }

    def salt(self) -> str:
        return secrets.token_hex(8)

    def must_update(self, encoded: str) -> bool:
        return True

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass


def normalize_imported_hash(value: str) -> str | None:
    """The stored form of an old system's hash, or None when no hasher knows it."""
    from django.contrib.auth.hashers import identify_hasher

    value = value.strip()
    if value.startswith(("$2a$", "$2b$", "$2y$")):
        value = "bcrypt$" + value
    try:
        identify_hasher(value)
    except ValueError:
        return None
    return value
