"""Pinned query counts: a page costs the same number of queries for 5 rows as for 30 (no N+1).

Every count includes 5 queries of the session machinery: the session read, the user, and the
savepoint, update and release of SESSION_SAVE_EVERY_REQUEST."""

from __future__ import annotations

import pytest

from .factories import CertificateFactory, HonourFactory, WorkerFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    # session (5) + count (the table's paginator only) + industry choices + the page's keys + its
    # rows (core/pagination.py); the enterprise filter is a type-ahead (core.widgets.TypeaheadSelect):
    # no choices to read
    "/registry/workers/": 9,
    # session (5) + count + industry choices + keys + rows
    "/registry/enterprises/": 9,
    # session (5) + count + keys + rows
    "/registry/certificates/": 8,
    "/registry/honours/": 8,
    # session (5) + count + keys + rows
    "/api/workers/": 8,
    "/api/enterprises/": 8,
    "/api/certificates/": 8,
    "/api/honours/": 8,
}


def _populate(enterprise, size: int) -> None:  # type: ignore[no-untyped-def]
    for worker in WorkerFactory.create_batch(size, enterprise=enterprise):
        CertificateFactory(worker=worker)
        HonourFactory(worker=worker)


@pytest.mark.parametrize("size", [5, 30])
@pytest.mark.parametrize("url", list(EXPECTED))
@pytest.mark.parametrize("persona", ["admin", "operator_a"])
def test_list_query_counts_do_not_grow_with_rows(client_of, django_assert_num_queries, enterprise_a, enterprise_b,
                                                 persona, url, size):
    _populate(enterprise_a, size)
    _populate(enterprise_b, size)
    client = client_of(persona)
    client.get(url)  # warm the content-type cache
    with django_assert_num_queries(EXPECTED[url]):
        response = client.get(url)
    assert response.status_code == 200
    rows = response.json()["count"] if url.startswith("/api/") else response.context["table"].paginator.count
    per_enterprise = 1 if "enterprises" in url else size
    assert rows == per_enterprise * (2 if persona == "admin" else 1)


@pytest.mark.parametrize("size", [1, 12])
@pytest.mark.parametrize("persona", ["admin", "operator_a"])
def test_worker_detail_query_count_does_not_grow_with_records(client_of, django_assert_num_queries, worker_a,
                                                              persona, size, monkeypatch):
    from talentpool.registry import profile

    monkeypatch.setattr(profile, "_sections", {})  # the registry's own page: apps' sections pin their own
    for i in range(size):
        CertificateFactory(worker=worker_a)
        HonourFactory(worker=worker_a, name=f"荣誉{i}")
    client = client_of(persona)
    client.get(f"/registry/workers/{worker_a.pk}/")
    # session (5) + worker + employments + certificates + honours + can_change + can_reveal
    # + whether the employer's page may be opened (its link)
    with django_assert_num_queries(12):
        response = client.get(f"/registry/workers/{worker_a.pk}/")
    assert len(response.context["certificates"]) == size
