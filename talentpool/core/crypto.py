"""Encryption at rest for personal data, and keyed hashes for exact lookup.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under settings.ENCRYPTION_KEY; the
lookup hash is HMAC-SHA256 under a key derived from it, so the database alone reveals nothing and
an exact ID-number search still uses an index.
"""

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@functools.cache
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def encrypt(value: str) -> str:
    return _fernet(settings.ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key: never leak the token itself
        raise ValueError("encrypted value cannot be decrypted with the configured key") from exc


def lookup_hash(value: str) -> str:
    key = hashlib.sha256(("lookup:" + settings.ENCRYPTION_KEY).encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column holding ciphertext; Python code only ever sees the plain value."""

    def from_db_value(self, value, expression, connection):  # type: ignore[no-untyped-def]
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):  # type: ignore[no-untyped-def]
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
