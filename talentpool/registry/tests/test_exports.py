"""Excel exports of the filtered lists: scoped rows, masked personal data, audited."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from talentpool.core.models import AuditAction, AuditLog

from .conftest import KNOWN_ID

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(response) -> list[list]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_index(0).to_python()


def _cells(rows: list[list]) -> list[str]:
    return [str(cell) for row in rows for cell in row]


@pytest.mark.parametrize(("url", "a_text", "b_text"), [
    ("/registry/workers/?export=xlsx", "慎建民", "单田芳"),
    ("/registry/enterprises/?export=xlsx", "浙江久立特材科技股份有限公司", "湖州南浔善琏湖笔厂"),
    ("/registry/certificates/?export=xlsx", "S000033050000003000001", "S000033050000003000002"),
    ("/registry/honours/?export=xlsx", "市技术能手", "湖州工匠"),
])
def test_an_operator_exports_only_their_own_rows(as_operator_a, as_admin, world, url, a_text, b_text):
    rows = _rows(as_operator_a.get(url))
    assert len(rows) == 2  # header + one row
    cells = _cells(rows)
    assert a_text in cells and b_text not in cells
    everything = _cells(_rows(as_admin.get(url)))
    assert a_text in everything and b_text in everything


@pytest.mark.parametrize("persona", ["expert", "worker"])
def test_export_is_refused_with_404_to_roles_without_lists(client_of, world, persona):
    response = client_of(persona).get("/registry/workers/?export=xlsx")
    assert response.status_code == 404
    assert AuditLog.objects.count() == 0


def test_anonymous_export_redirects_to_login(anonymous, world):
    response = anonymous.get("/registry/workers/?export=xlsx")
    assert response.status_code == 302 and response.url.startswith("/login/?next=")


def test_the_worker_export_masks_id_numbers_and_phones(as_admin, known_worker):
    rows = _rows(as_admin.get("/registry/workers/?export=xlsx"))
    _header, row = rows
    assert row[0] == "曾志伟"
    assert row[1] == "330503********1230"
    assert row[4] == "139****5678"
    assert "浙江久立特材科技股份有限公司" in row
    cells = "".join(_cells(rows))
    assert KNOWN_ID not in cells and "13912345678" not in cells


def test_certificate_and_honour_exports_mask_the_id_number(as_admin, known_worker):
    from .factories import CertificateFactory, HonourFactory

    CertificateFactory(worker=known_worker)
    HonourFactory(worker=known_worker)
    for url in ("/registry/certificates/?export=xlsx", "/registry/honours/?export=xlsx"):
        rows = _rows(as_admin.get(url))
        assert rows[1][1] == "330503********1230"
        assert KNOWN_ID not in "".join(_cells(rows))


def test_the_export_follows_the_filter(as_admin, world, enterprise_b):
    rows = _rows(as_admin.get(f"/registry/workers/?current_enterprise={enterprise_b.pk}&export=xlsx"))
    assert [r[0] for r in rows[1:]] == ["单田芳"]
    rows = _rows(as_admin.get("/registry/workers/?q=sjm&export=xlsx"))
    assert [r[0] for r in rows[1:]] == ["慎建民"]


def test_the_leader_exports_everything(as_leader, world):
    rows = _rows(as_leader.get("/registry/workers/?export=xlsx"))
    assert sorted(r[0] for r in rows[1:]) == sorted(["慎建民", "单田芳"])


def test_every_export_is_audited_with_kind_and_row_count(as_operator_a, world):
    as_operator_a.get("/registry/workers/?export=xlsx")
    log = AuditLog.objects.get()
    assert (log.action, log.actor.username, log.changes["kind"], log.changes["rows"]) == (
        AuditAction.EXPORT, "operator_a", "workers", 1)


def test_an_id_number_search_exported_never_puts_the_number_in_the_audit_log(as_admin, known_worker):
    location = as_admin.post("/registry/workers/", {"q": KNOWN_ID}).url
    rows = _rows(as_admin.get(location + "&export=xlsx"))
    assert [r[0] for r in rows[1:]] == ["曾志伟"]
    log = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert KNOWN_ID not in str(log.changes) + log.object_repr


def test_a_crafted_export_url_with_an_id_number_is_refused_and_exports_nothing(as_admin, known_worker):
    # an ID number in a URL is refused before the view (core.middleware.PersonalNumberInUrlMiddleware)
    response = as_admin.get(f"/registry/workers/?q={KNOWN_ID}&export=xlsx")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_file_name_is_chinese_and_dated(as_admin, world):
    response = as_admin.get("/registry/workers/?export=xlsx")
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    assert response["Content-Disposition"].endswith(".xlsx")
