"""Encryption at rest and keyed lookup hashes."""

from __future__ import annotations

import pytest

from talentpool.core import crypto


def test_encrypt_round_trips_and_never_repeats_a_token():
    token = crypto.encrypt("330503198503071230")
    assert "330503198503071230" not in token
    assert crypto.decrypt(token) == "330503198503071230"
    assert crypto.encrypt("330503198503071230") != token  # random IV


def test_a_wrong_key_raises_value_error_without_the_token(settings):
    token = crypto.encrypt("13912345678")
    settings.ENCRYPTION_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    with pytest.raises(ValueError) as info:
        crypto.decrypt(token)
    assert token not in str(info.value) and "13912345678" not in str(info.value)
    assert str(info.value) == "encrypted value cannot be decrypted with the configured key"


def test_values_are_aes_gcm_tokens_and_older_fernet_tokens_still_decrypt(settings):
    from cryptography.fernet import Fernet

    token = crypto.encrypt("13912345678")
    assert token.startswith("g1:") and len(token) == len("g1:") + 4 * ((12 + 11 + 16 + 2) // 3)
    legacy = Fernet(settings.ENCRYPTION_KEY.encode()).encrypt(b"330503198503071230").decode()
    assert crypto.decrypt(legacy) == "330503198503071230"
    settings.ENCRYPTION_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    with pytest.raises(ValueError, match=rf"^{crypto.WRONG_KEY}$"):
        crypto.decrypt(legacy)


@pytest.mark.parametrize("damage", [
    lambda t: t[:-4] + ("AAAA" if not t.endswith("AAAA") else "BBBB"),  # the tag
    lambda t: t[:3] + ("B" if t[3] != "B" else "C") + t[4:],  # the nonce
    lambda t: t[:10],  # cut short
    lambda t: t + "!!",  # not base64
])
def test_a_damaged_token_is_refused_with_the_same_message(damage):
    token = crypto.encrypt("13912345678")
    with pytest.raises(ValueError, match=rf"^{crypto.WRONG_KEY}$"):
        crypto.decrypt(damage(token))


def test_a_tampered_token_is_refused():
    token = crypto.encrypt("13912345678")
    with pytest.raises(ValueError):
        crypto.decrypt(token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"))


def test_the_lookup_hash_is_stable_keyed_and_not_the_value(settings):
    value = "330503198503071230"
    first = crypto.lookup_hash(value)
    assert first == crypto.lookup_hash(value)
    assert len(first) == 64 and value not in first
    assert first != crypto.lookup_hash("330503198503071231")
    settings.ENCRYPTION_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    assert crypto.lookup_hash(value) != first


def test_the_field_stores_ciphertext_and_empty_stays_empty():
    field = crypto.EncryptedTextField()
    stored = field.get_prep_value("13912345678")
    assert stored != "13912345678" and field.from_db_value(stored, None, None) == "13912345678"
    assert field.get_prep_value("") == "" and field.get_prep_value(None) is None
    assert field.from_db_value("", None, None) == ""
