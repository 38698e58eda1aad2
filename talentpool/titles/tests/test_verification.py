"""The signed certificate payload: round trip, masking, refusals of garbled or tampered tokens,
the keys (configured or derived from SECRET_KEY) and the public URL."""

from __future__ import annotations

import base64
import datetime

import pytest
import segno
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from talentpool.titles import verification
from talentpool.titles.verification import (
    HKDF_INFO,
    InvalidToken,
    public_key_pem,
    sign_payload,
    signing_key_is_derived,
    verification_url,
    verify_payload,
)

SEED = base64.urlsafe_b64encode(bytes(range(32))).decode()
OTHER_SEED = base64.urlsafe_b64encode(bytes(range(1, 33))).decode()
DATA = {
    "number": "NX202600001", "name": "慎建民", "tier": "南浔工匠", "year": 2026,
    "valid_from": datetime.date(2026, 12, 1),
}


@pytest.fixture(autouse=True)
def signing_key(settings):  # type: ignore[no-untyped-def]
    settings.TALENTPOOL_CERTIFICATE_SIGNING_KEY = SEED
    return settings


def raw(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


def test_it_verifies_what_it_signed_with_the_name_masked() -> None:
    assert verify_payload(sign_payload(DATA)) == {
        "number": "NX202600001", "name": "慎*民", "tier": "南浔工匠", "year": 2026,
        "valid_from": datetime.date(2026, 12, 1),
    }


def test_the_token_never_carries_the_full_name() -> None:
    token = sign_payload(DATA)
    assert "慎建民".encode() not in raw(token)
    assert "慎*民".encode() in raw(token)
    # Ed25519 is deterministic: a name passed already masked gives the very same token.
    assert sign_payload({**DATA, "name": "慎*民"}) == token


@pytest.mark.parametrize(("name", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧**娜"), ("阿", "*")])
def test_it_masks_every_name_length(name: str, masked: str) -> None:
    assert verify_payload(sign_payload({**DATA, "name": name}))["name"] == masked


def test_it_takes_an_iso_date_string_and_keeps_year_and_date_apart() -> None:
    payload = verify_payload(sign_payload({**DATA, "year": 2025, "valid_from": "2026-01-05"}))
    assert (payload["year"], payload["valid_from"]) == (2025, datetime.date(2026, 1, 5))


def test_the_token_is_url_safe_and_short_enough_for_a_small_qr_code() -> None:
    token = sign_payload(DATA)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len(token) == 138  # 39 bytes of body + 64 of signature
    url = verification_url("https://rencai.nxzgh.example.cn", "NX202600001", token)
    assert segno.make(url, error="m", micro=False).version == 10  # 57 × 57 modules


def test_whitespace_in_a_typed_token_is_ignored() -> None:
    token = sign_payload(DATA)
    spaced = " ".join(token[i : i + 20] for i in range(0, len(token), 20)) + "\n"
    assert verify_payload(spaced) == verify_payload(token)


def test_it_refuses_a_tampered_token() -> None:
    token = sign_payload(DATA)
    body = bytearray(raw(token))
    body[8] ^= 0x01  # one bit of the certificate number
    forged = base64.urlsafe_b64encode(bytes(body)).rstrip(b"=").decode()
    with pytest.raises(InvalidToken, match=r"^证书验证码签名无效：内容已被改动，或并非本系统签发$"):
        verify_payload(forged)


def test_it_refuses_a_token_whose_fields_were_swapped_for_a_better_tier() -> None:
    genuine = raw(sign_payload({**DATA, "tier": "技术标兵"}))
    other = raw(sign_payload(DATA))
    spliced = genuine[:-64].replace("技术标兵".encode(), "南浔工匠".encode()) + genuine[-64:]
    assert spliced[:-64] == other[:-64]  # the body of a real 南浔工匠 certificate, the wrong signature
    with pytest.raises(InvalidToken, match="签名无效"):
        verify_payload(base64.urlsafe_b64encode(spliced).rstrip(b"=").decode())


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "^证书验证码为空$"),
        ("   ", "^证书验证码为空$"),
        ("AQtOWDIw!!!", "^证书验证码无法识别：含有非法字符或已损坏$"),
        ("AQtOWDIwMjYtMDAwMQ", "^证书验证码不完整：长度不足，可能缺少字符$"),
    ],
)
def test_it_refuses_a_garbled_token_with_a_reason(token: str, message: str) -> None:
    with pytest.raises(InvalidToken, match=message):
        verify_payload(token)


def test_a_cut_token_is_refused() -> None:
    token = sign_payload(DATA)
    with pytest.raises(InvalidToken):
        verify_payload(token[:-4])
    assert issubclass(InvalidToken, ValueError)


def test_a_token_signed_by_another_key_is_refused(signing_key) -> None:  # type: ignore[no-untyped-def]
    token = sign_payload(DATA)
    signing_key.TALENTPOOL_CERTIFICATE_SIGNING_KEY = OTHER_SEED
    with pytest.raises(InvalidToken, match="签名无效"):
        verify_payload(token)


def test_anyone_holding_the_published_public_key_verifies_offline(signing_key) -> None:  # type: ignore[no-untyped-def]
    token = sign_payload(DATA)
    published = public_key_pem()
    assert published.startswith("-----BEGIN PUBLIC KEY-----\n")
    signing_key.TALENTPOOL_CERTIFICATE_SIGNING_KEY = OTHER_SEED  # a verifier elsewhere, another deployment
    assert verify_payload(token, public_key=published)["number"] == "NX202600001"
    with pytest.raises(InvalidToken, match="签名无效"):
        verify_payload(token, public_key=public_key_pem())


def test_a_pem_private_key_and_its_seed_are_the_same_key(signing_key) -> None:  # type: ignore[no-untyped-def]
    from_seed = public_key_pem()
    pem = Ed25519PrivateKey.from_private_bytes(bytes(range(32))).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    signing_key.TALENTPOOL_CERTIFICATE_SIGNING_KEY = pem
    assert public_key_pem() == from_seed
    assert signing_key_is_derived() is False


def test_without_a_setting_the_key_is_derived_from_secret_key_by_hkdf(signing_key) -> None:  # type: ignore[no-untyped-def]
    del signing_key.TALENTPOOL_CERTIFICATE_SIGNING_KEY
    signing_key.SECRET_KEY = "a-secret-key-for-this-test-only-0123456789"
    assert signing_key_is_derived() is True
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(signing_key.SECRET_KEY.encode())
    expected = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    assert public_key_pem() == expected
    token = sign_payload(DATA)
    signing_key.SECRET_KEY = "another-secret-key-for-this-test-0123456789"
    assert public_key_pem() != expected
    with pytest.raises(InvalidToken, match="签名无效"):
        verify_payload(token)


@pytest.mark.parametrize(
    ("value", "message"),
    [("not base64 at all!", "无法解码"), (base64.urlsafe_b64encode(b"short").decode(), "实为 5 字节")],
)
def test_a_malformed_configured_key_is_a_clear_error(signing_key, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    signing_key.TALENTPOOL_CERTIFICATE_SIGNING_KEY = value
    with pytest.raises(ValueError, match=message):
        sign_payload(DATA)


def test_a_generated_key_is_a_working_seed(signing_key) -> None:  # type: ignore[no-untyped-def]
    signing_key.TALENTPOOL_CERTIFICATE_SIGNING_KEY = verification.generate_signing_key()
    assert verify_payload(sign_payload(DATA))["tier"] == "南浔工匠"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"number": ""}, "^证书签名数据缺少证书编号$"),
        ({"tier": "匠" * 86}, r"^证书签名数据中称号层级过长（258 字节，最多 255 字节）$"),
        ({"year": 0}, "^证书年度 0 无效$"),
    ],
)
def test_it_refuses_to_sign_what_the_format_cannot_hold(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sign_payload({**DATA, **change})


def test_the_verification_url_is_stable_and_encodes_the_number() -> None:
    assert verification_url("https://rencai.example.cn/", "NX202600001", "AbC-_") == (
        "https://rencai.example.cn/verify/NX202600001/?s=AbC-_"
    )
    assert verification_url("https://rencai.example.cn", "NX 2026/1", "x") == (
        "https://rencai.example.cn/verify/NX%202026%2F1/?s=x"
    )
