"""What the review page shows before anything is written: for each row an update would change,
which fields change (old → new, personal data masked); 不变 for rows that change nothing; the
warnings about certificate numbers as text in their rows."""

from __future__ import annotations

import datetime

import pytest

from talentpool.core.models import Job
from talentpool.registry import services
from talentpool.registry.tests.test_imports import CERT_HEADERS, ID_M, WORKER_HEADERS, run_import, workbook, worker_row

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _rows(job: Job) -> list[tuple[int, str, list[dict[str, str]]]]:
    return [(r["row"], r["status_label"], r["changes"]) for r in job.result["preview"]["rows"]]


def test_the_preview_names_the_fields_an_update_changes_and_says_when_nothing_changes(
    as_admin, admin_user, enterprise_a, enterprise_b, worker_a, worker_b
):
    content = workbook(WORKER_HEADERS, [
        worker_row("慎建民", worker_a.id_number, enterprise=enterprise_a.name, 手机号="13900001111", 技能等级="技师",
                   学历="本科"),
        worker_row("单田芳", worker_b.id_number, enterprise=enterprise_b.name),  # as registered
        worker_row("沈建国", ID_M, enterprise=enterprise_a.name),
    ])
    job, _ = run_import("workers", content, admin_user, confirm=False)
    assert job.result["counts"] == {"new": 1, "updated": 1, "unchanged": 1, "errors": 0}
    changes = [
        {"field": "手机号", "old": "138****5678", "new": "139****1111"},
        {"field": "学历", "old": "高中（中专、技校）", "new": "本科"},
        {"field": "技能等级", "old": "高级工（三级）", "new": "技师（二级）"},
    ]
    assert _rows(job) == [(2, "更新", changes), (3, "不变", []), (4, "新增", [])]
    assert job.result["preview"]["updates"] == [{"row": 2, "label": "慎建民", "changes": changes}]

    body = as_admin.get(f"/core/import/{job.pk}/").content.decode()
    assert 'data-testid="import-updates"' in body
    assert ('<span class="text-nowrap">手机号：</span><span class="text-nowrap text-muted">138****5678</span> → '
            '<span class="text-nowrap">139****1111</span>') in body
    assert body.count('<span data-testid="row-outcome">不变</span>') == 1
    assert "13900001111" not in body and "13812345678" not in body  # phones masked, old and new
    assert "139****1111" in body  # in the preview's phone column too


def test_a_take_on_shows_the_employment_it_adds(as_operator_a, operator_a, admin_user, enterprise_a, worker_b):
    services.end_employment(worker_b, actor=admin_user, end_date=D(2024, 2, 29))
    content = workbook(WORKER_HEADERS, [worker_row("单田芳", worker_b.id_number, start="2024-03-01",
                                                   退休类别="女职工（50岁）")])
    job, _ = run_import("workers", content, operator_a, confirm=False)
    assert _rows(job) == [(2, "更新", [{"field": "所在企业", "old": "—", "new": enterprise_a.name}])]


def test_certificate_number_warnings_are_text_in_the_preview_rows(as_admin, admin_user, worker_a):
    grade_four = "S" + "0" * 14 + "4" + "000123"  # 16th character: grade 4 (中级工), the row says 技师
    content = workbook(CERT_HEADERS, [
        [worker_a.id_number, "慎建民", "ZJ-2019-0001", "高级工", None, None, "2019-06-01"],
        [worker_a.id_number, "慎建民", grade_four, "技师", None, None, "2021-06-01"],
        [worker_a.id_number, "慎建民", "S" + "0" * 14 + "3" + "000124", "高级工", None, None, "2020-01-01"],
    ])
    job, _ = run_import("certificates", content, admin_user, confirm=False)
    assert job.result["error_count"] == 0, job.result["errors"]
    rows = job.result["preview"]["rows"]
    other = "证书编号“ZJ-2019-0001”不是常见的证书编号格式，已按原样保存，请核对"
    assert rows[0]["warnings"] == [other]
    assert len(rows[1]["warnings"]) == 1 and "技能等级" in rows[1]["warnings"][0]
    assert rows[2]["warnings"] == []
    assert [(w["row"], w["warnings"]) for w in job.result["preview"]["warnings"]] == [
        (2, [other]), (3, rows[1]["warnings"])]

    body = as_admin.get(f"/core/import/{job.pk}/").content.decode()
    assert body.count(f'<div class="text-warning-emphasis" data-testid="warning-text">⚠ {other}</div>') == 2
    assert f'title="{other}"' not in body  # text to read, not a tooltip
    assert "2 行有提醒：将按原样导入，请核对" in body
    assert 'data-testid="confirm-form"' in body  # a warning is no error
