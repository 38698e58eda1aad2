"""Encryption at rest for personal data, and keyed hashes for exact lookup.

Values are encrypted with AES-256-GCM under a key derived (HKDF-SHA256) from
settings.ENCRYPTION_KEY, each with a random 96-bit nonce, stored as ``g1:`` + base64(nonce +
ciphertext + tag). Values written before (Fernet tokens: AES-128-CBC + HMAC-SHA256 under the same
setting) still decrypt. AES-GCM does the same job about eight times faster than Fernet, which
mattered for an import of 10,000 workers (two values each, bench/bench_import.py).

The lookup hash is HMAC-SHA256 under another key derived from the setting, so the database alone
reveals nothing and an exact ID-number search still uses an index.
"""

import base64
import functools
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

PREFIX = "g1:"
WRONG_KEY = "encrypted value cannot be decrypted with the configured key"


@functools.cache
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


@functools.cache
def _aead(key: str) -> AESGCM:
    master = base64.urlsafe_b64decode(key.encode())
    derived = HKDF(algorithm=SHA256(), length=32, salt=None, info=b"talentpool field encryption g1").derive(master)
    return AESGCM(derived)


@functools.cache
def _lookup_key(key: str) -> bytes:
    return hashlib.sha256(("lookup:" + key).encode()).digest()


def encrypt(value: str) -> str:
    nonce = os.urandom(12)
    sealed = _aead(settings.ENCRYPTION_KEY).encrypt(nonce, value.encode(), None)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    try:
        if token.startswith(PREFIX):
            raw = base64.b64decode(token[len(PREFIX):].encode(), altchars=b"-_", validate=True)
            return _aead(settings.ENCRYPTION_KEY).decrypt(raw[:12], raw[12:], None).decode()
        return _fernet(settings.ENCRYPTION_KEY).decrypt(token.encode()).decode()  # written before g1
    except (InvalidTag, InvalidToken, ValueError) as exc:  # wrong key or damaged: never leak the token
        raise ValueError(WRONG_KEY) from exc


def lookup_hash(value: str) -> str:
    return hmac.new(_lookup_key(settings.ENCRYPTION_KEY), value.encode(), hashlib.sha256).hexdigest()


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


# Files (job uploads, parsed copies, error reports, export results) ------------------------------
# Their own derived key and format: b"tpf1" + nonce (12 bytes) + ciphertext + tag, with the file's
# purpose ("input", "result", "work") as associated data, so a file cannot pass for another kind.
FILE_PREFIX = b"tpf1"
NOT_ENCRYPTED = "file is not an encrypted talentpool file"


@functools.cache
def _file_aead(key: str) -> AESGCM:
    master = base64.urlsafe_b64decode(key.encode())
    derived = HKDF(algorithm=SHA256(), length=32, salt=None, info=b"talentpool file encryption tpf1").derive(master)
    return AESGCM(derived)


def _file_context(purpose: str) -> bytes:
    return b"talentpool job file:" + purpose.encode()


def encrypt_bytes(data: bytes, *, purpose: str) -> bytes:
    nonce = os.urandom(12)
    return FILE_PREFIX + nonce + _file_aead(settings.ENCRYPTION_KEY).encrypt(nonce, data, _file_context(purpose))


def decrypt_bytes(blob: bytes, *, purpose: str) -> bytes:
    """The plain bytes; ValueError if ``blob`` is not an encrypted file, or is damaged, encrypted
    under another key or for another purpose."""
    if not blob.startswith(FILE_PREFIX):
        raise ValueError(NOT_ENCRYPTED)
    head = len(FILE_PREFIX)
    try:
        return _file_aead(settings.ENCRYPTION_KEY).decrypt(blob[head:head + 12], blob[head + 12:],
                                                           _file_context(purpose))
    except InvalidTag as exc:
        raise ValueError(WRONG_KEY) from exc
