"""The signed payload a title certificate carries (in its QR code and printed small), so that a
printed copy can be checked without the site: anyone holding the published public key
(``public_key_pem()``) verifies the signature and reads the masked name, tier, year and date.

Token layout (version 1), URL-safe base64 without padding of ``body + signature``:

    body      = 0x01                                   format version
                len(number)  number                    UTF-8, one length byte each
                len(name)    masked name               (never the full name: ``mask_name``)
                len(tier)    tier name
                year                                   2 bytes, big-endian
                valid_from                             3 bytes, big-endian proleptic Gregorian ordinal
                                                       (``datetime.date.toordinal()``; 739 951 = 2026-12-01)
    signature = Ed25519 over ``b"talentpool-certificate:" + body`` (64 bytes)

A binary body keeps the verification URL short enough for a small QR code (≈ 140 characters of
token for a typical certificate, against ≈ 170 for the same fields as JSON).

The signing key is ``settings.TALENTPOOL_CERTIFICATE_SIGNING_KEY`` when set: an Ed25519 private
key as PEM (PKCS#8, unencrypted) or its 32-byte seed in base64 (``generate_signing_key()`` makes
one). Without it, the key is derived from ``settings.SECRET_KEY`` by HKDF-SHA256 (no salt, info
``HKDF_INFO``): stable for a deployment as long as its secret key is, but it changes with it, and
certificates printed before would no longer verify — production sets the key explicitly.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import functools
import re
import secrets
from collections.abc import Mapping
from typing import Any, TypedDict
from urllib.parse import quote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from talentpool.rules.masking import mask_name

__all__ = [
    "HKDF_INFO",
    "SIGNING_KEY_SETTING",
    "CertificatePayload",
    "InvalidToken",
    "generate_signing_key",
    "public_key_pem",
    "sign_payload",
    "signing_key_is_derived",
    "verification_url",
    "verify_payload",
]

SIGNING_KEY_SETTING = "TALENTPOOL_CERTIFICATE_SIGNING_KEY"
HKDF_INFO = b"talentpool titles certificate signing key v1"
FORMAT_VERSION = 1
_CONTEXT = b"talentpool-certificate:"  # domain separation: this key signs nothing else
_SIGNATURE_SIZE = 64
_FIELD_LIMIT = 255  # bytes, the most one length byte can say
_TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")


class CertificatePayload(TypedDict):
    number: str
    name: str  # masked
    tier: str
    year: int
    valid_from: datetime.date


class InvalidToken(ValueError):
    """A token that is garbled, cut short or not signed by this programme's key."""


# --- keys ---------------------------------------------------------------------------------------


def generate_signing_key() -> str:
    """A new private key for ``TALENTPOOL_CERTIFICATE_SIGNING_KEY``: its 32-byte seed in base64."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


@functools.lru_cache(maxsize=8)
def _load_private_key(configured: str | None, secret_key: str) -> Ed25519PrivateKey:
    if not configured:
        seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(secret_key.encode())
        return Ed25519PrivateKey.from_private_bytes(seed)
    text = configured.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{SIGNING_KEY_SETTING} 不是 Ed25519 私钥 (is not an Ed25519 private key)")
        return key
    try:  # either base64 alphabet (``openssl rand -base64 32`` or ``generate_signing_key()``)
        seed = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"{SIGNING_KEY_SETTING} 无法解码：应为 PEM 或 32 字节种子的 base64") from error
    if len(seed) != 32:
        raise ValueError(f"{SIGNING_KEY_SETTING} 应为 32 字节种子的 base64，实为 {len(seed)} 字节")
    return Ed25519PrivateKey.from_private_bytes(seed)


def _private_key() -> Ed25519PrivateKey:
    return _load_private_key(getattr(settings, SIGNING_KEY_SETTING, None), settings.SECRET_KEY)


def signing_key_is_derived() -> bool:
    """Whether the key comes from SECRET_KEY (no explicit setting): a deployment check warns."""
    return not getattr(settings, SIGNING_KEY_SETTING, None)


def public_key_pem() -> str:
    """The public key that verifies this deployment's certificates, as PEM (SubjectPublicKeyInfo),
    to publish."""
    public = _private_key().public_key()
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _public_key(public_key: str | bytes | None) -> Ed25519PublicKey:
    if public_key is None:
        return _private_key().public_key()
    pem = public_key.encode() if isinstance(public_key, str) else public_key
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("公钥不是 Ed25519 公钥 (not an Ed25519 public key)")
    return key


# --- the token ----------------------------------------------------------------------------------


def _field(value: str, label: str) -> bytes:
    encoded = value.encode()
    if not encoded:
        raise ValueError(f"证书签名数据缺少{label}")
    if len(encoded) > _FIELD_LIMIT:
        raise ValueError(f"证书签名数据中{label}过长（{len(encoded)} 字节，最多 {_FIELD_LIMIT} 字节）")
    return bytes([len(encoded)]) + encoded


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def sign_payload(data: Mapping[str, Any]) -> str:
    """The signed token for a certificate: ``data`` holds ``number``, ``name`` (full or already
    masked: it is always masked here, so the token never carries a full name), ``tier``, ``year``
    and ``valid_from`` (a date or an ISO date string). URL-safe base64, no padding. Raises
    ``ValueError`` for a missing or over-long field or a year outside 1–65535."""
    year = int(data["year"])
    if not 0 < year < 1 << 16:
        raise ValueError(f"证书年度 {year} 无效")
    body = (
        bytes([FORMAT_VERSION])
        + _field(str(data["number"]), "证书编号")
        + _field(mask_name(str(data["name"])), "姓名")
        + _field(str(data["tier"]), "称号层级")
        + year.to_bytes(2, "big")
        + _date(data["valid_from"]).toordinal().to_bytes(3, "big")
    )
    signature = _private_key().sign(_CONTEXT + body)
    return base64.urlsafe_b64encode(body + signature).rstrip(b"=").decode()


def _read_field(body: bytes, at: int) -> tuple[str, int]:
    size = body[at]
    end = at + 1 + size
    if size == 0 or end > len(body):
        raise IndexError(at)
    return body[at + 1 : end].decode(), end


def verify_payload(token: str, *, public_key: str | bytes | None = None) -> CertificatePayload:
    """The payload of a token after checking its signature with this deployment's key (or the
    given public key, PEM). Whitespace in the token is ignored (it is printed in groups). Raises
    ``InvalidToken`` (a ``ValueError``) with a Chinese message for a garbled, truncated or
    tampered token."""
    text = "".join(token.split())
    if not text:
        raise InvalidToken("证书验证码为空")
    if not _TOKEN_CHARACTERS.fullmatch(text):
        raise InvalidToken("证书验证码无法识别：含有非法字符或已损坏")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:  # a length no base64 text has (4k + 1)
        raise InvalidToken("证书验证码无法识别：含有非法字符或已损坏") from error
    if len(raw) <= _SIGNATURE_SIZE + 1:
        raise InvalidToken("证书验证码不完整：长度不足，可能缺少字符")
    body, signature = raw[:-_SIGNATURE_SIZE], raw[-_SIGNATURE_SIZE:]
    try:
        _public_key(public_key).verify(signature, _CONTEXT + body)
    except InvalidSignature as error:
        raise InvalidToken("证书验证码签名无效：内容已被改动，或并非本系统签发") from error
    if body[0] != FORMAT_VERSION:
        raise InvalidToken(f"证书验证码格式版本 {body[0]} 不受支持")
    try:
        number, at = _read_field(body, 1)
        name, at = _read_field(body, at)
        tier, at = _read_field(body, at)
        if len(body) != at + 5:
            raise IndexError(at)
        year = int.from_bytes(body[at : at + 2], "big")
        valid_from = datetime.date.fromordinal(int.from_bytes(body[at + 2 : at + 5], "big"))
    except (IndexError, UnicodeDecodeError, ValueError) as error:  # signed but malformed: a signer bug
        raise InvalidToken("证书验证码内容格式错误") from error
    return CertificatePayload(number=number, name=name, tier=tier, year=year, valid_from=valid_from)


def verification_url(base_url: str, number: str, token: str) -> str:
    """The stable public URL a certificate's QR code links to: ``<base_url>/verify/<number>/?s=<token>``
    (the number percent-encoded; the token is URL-safe already). It stays valid whatever becomes
    of the title: the page shows the title's current status."""
    return f"{base_url.rstrip('/')}/verify/{quote(number, safe='')}/?s={token}"
