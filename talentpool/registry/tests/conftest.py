"""Registry fixtures on top of the root personas: a certificate and an honour for each of the
two workers, and a worker with a known ID number and phone."""

from __future__ import annotations

import datetime

import pytest

from .factories import CertificateFactory, HonourFactory, WorkerFactory, make_id_number

# A valid ID number (check character computed), born 1985-03-07, male (odd 17th digit).
KNOWN_ID = make_id_number(datetime.date(1985, 3, 7), male=True, seq=123)
KNOWN_PHONE = "13912345678"


@pytest.fixture
def cert_a(worker_a):  # type: ignore[no-untyped-def]
    return CertificateFactory(worker=worker_a, number="S000033050000003000001", level=3)


@pytest.fixture
def cert_b(worker_b):  # type: ignore[no-untyped-def]
    return CertificateFactory(worker=worker_b, number="S000033050000003000002", level=3)


@pytest.fixture
def honour_a(worker_a):  # type: ignore[no-untyped-def]
    return HonourFactory(worker=worker_a, name="市技术能手", awarded_on=datetime.date(2021, 5, 1))


@pytest.fixture
def honour_b(worker_b):  # type: ignore[no-untyped-def]
    return HonourFactory(worker=worker_b, name="湖州工匠", awarded_on=datetime.date(2022, 5, 1))


@pytest.fixture
def world(worker_a, worker_b, cert_a, cert_b, honour_a, honour_b, enterprise_a, enterprise_b):  # type: ignore[no-untyped-def]
    """Everything the access matrix needs, with the placeholders its URLs use."""
    return {
        "wa": worker_a.pk, "wb": worker_b.pk, "ea": enterprise_a.pk, "eb": enterprise_b.pk,
        "ca": cert_a.pk, "cb": cert_b.pk, "ha": honour_a.pk, "hb": honour_b.pk,
    }


@pytest.fixture
def known_worker(enterprise_a):  # type: ignore[no-untyped-def]
    from talentpool.core.crypto import lookup_hash
    from talentpool.rules import masking

    return WorkerFactory(
        name="曾志伟", enterprise=enterprise_a, birth_date=datetime.date(1985, 3, 7), id_number=KNOWN_ID,
        id_number_hash=lookup_hash(KNOWN_ID), id_number_masked=masking.mask_id_number(KNOWN_ID),
        phone=KNOWN_PHONE, phone_masked="139****5678",
    )


PERSONA_CLIENTS = {
    "admin": "as_admin", "leader": "as_leader", "operator_a": "as_operator_a", "operator_b": "as_operator_b",
    "expert": "as_expert", "worker": "as_worker", "anonymous": "anonymous",
}


@pytest.fixture
def client_of(request):  # type: ignore[no-untyped-def]
    """``client_of("operator_a")`` → the logged-in test client of that persona."""

    def get(persona: str):  # type: ignore[no-untyped-def]
        return request.getfixturevalue(PERSONA_CLIENTS[persona])

    return get
