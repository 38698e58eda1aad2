import pytest


@pytest.mark.django_db
def test_admin_sees_both_enterprises_workers(as_admin, worker_a, worker_b):
    response = as_admin.get("/registry/workers/")
    assert response.status_code == 200
    assert "慎建民" in response.content.decode()
    assert "单田芳" in response.content.decode()


@pytest.mark.django_db
def test_operator_sees_only_own_workers(as_operator_a, worker_a, worker_b):
    response = as_operator_a.get("/registry/workers/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "慎建民" in body and "单田芳" not in body
    assert as_operator_a.get(f"/registry/workers/{worker_b.pk}/").status_code == 404
