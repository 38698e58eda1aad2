"""The import engine is no app's: a kind this test declares (core's own calendar days, nothing of
the registry) is offered, checked, previewed, confirmed and written through core's pages and its
one job, under a string key, its date column declared, the rows its update changes locked."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentpool.core.imports import (
    Column,
    ImportKindSpec,
    ImportTemplate,
    allowed_kinds,
    register_import_kind,
    unregister_import_kind,
)
from talentpool.core.imports.cells import CellError, parse_yes_no, text_parser
from talentpool.core.imports.jobs import IMPORT
from talentpool.core.imports.reader import RawRow
from talentpool.core.imports.spec import load_values
from talentpool.core.imports.validate import Plan, Status, Validator
from talentpool.core.imports.write import ImportWriter
from talentpool.core.models import AuditAction, AuditLog, CalendarDay, Job, JobStatus
from talentpool.core.roles import Role

pytestmark = pytest.mark.django_db
KEY = "test.calendar_days"  # a dotted string: no list of kinds in core to extend
DAY = datetime.date


def parse_day(value: Any, text: str) -> datetime.date:
    """This kind's own date parser (not core's parse_date_cell): 2040年1月2日 or 20400102."""
    match = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日|(\d{4})(\d{2})(\d{2})", text)
    if match is None:
        raise CellError(f"无法识别的日期“{text}”")
    year, month, day = (int(g) for g in match.groups() if g is not None)
    return DAY(year, month, day)


class DayValidator(Validator):
    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        days = {r["day"] for r in rows if "day" in r}
        self.existing = {d.day: d for d in self.matching(CalendarDay.objects.all(), "day", days)}
        self.seen: dict[datetime.date, int] = {}

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        if "day" in values and (first := self.first_seen(self.seen, values["day"], raw)):
            self.error(raw, "day", f"与第 {first} 行的日期重复")
        if self.has_error(raw):
            return None
        known = self.existing.get(values["day"])
        if known is None:
            plan = Plan(raw.number, Status.NEW, changes={"day": [None, values["day"].isoformat()]})
        else:
            changes = {k: [getattr(known, k), values[k]] for k in ("is_workday", "note")
                       if k in values and getattr(known, k) != values[k]}
            plan = Plan(raw.number, Status.UPDATED if changes else Status.UNCHANGED, changes=changes)
            if "note" in values and "调休" in values["note"]:
                plan.warnings.append("备注写了调休，请核对是否为工作日")
        plan.values = values  # type: ignore[attr-defined]
        return plan


class DayWriter(ImportWriter):
    def write(self) -> None:
        new = [CalendarDay(day=p.values["day"], is_workday=p.values.get("is_workday", False),
                           note=p.values.get("note", "")) for p in self.plans(Status.NEW)]
        CalendarDay.objects.bulk_create(new)
        for p in self.plans(Status.UPDATED):
            CalendarDay.objects.filter(day=p.values["day"]).update(
                **{k: v for k, v in p.values.items() if k in ("is_workday", "note")})
        self.advance(len(self.outcome.plans))


SPEC = ImportKindSpec(
    key=KEY,
    label="调休日",
    columns=(
        Column("day", "日期", parse_day, required=True, is_date=True),
        Column("is_workday", "工作日", parse_yes_no),
        Column("note", "备注", text_parser(64)),
        # a column named like a date but not declared one: its text stays text
        Column("source_date", "来源日期", text_parser(32)),
    ),
    match=DayValidator,
    write=DayWriter,
    roles=(Role.ADMIN,),
    order=900,
    has_mode=False,
    template=ImportTemplate(notes=("日期写作 2040年1月2日 或 20400102。",)),
    model=CalendarDay,
)


@pytest.fixture(autouse=True)
def _kind(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    register_import_kind(SPEC)
    yield
    unregister_import_kind(KEY)


def workbook(rows: list[list[str]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    for c, header in enumerate(["日期", "工作日", "备注", "来源日期"]):
        sheet.write_string(0, c, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def upload(client, content: bytes):  # type: ignore[no-untyped-def]
    return client.post("/core/import/", {"kind": KEY, "mode": "update",
                                         "file": SimpleUploadedFile("调休.xlsx", content)})



def test_a_kind_is_offered_by_its_string_key_to_the_roles_it_names(as_admin, admin_user, operator_a, as_operator_a):
    assert SPEC in allowed_kinds(admin_user)
    assert SPEC not in allowed_kinds(operator_a)
    page = as_admin.get("/core/import/").content.decode()
    assert f'value="{KEY}"' in page and "调休日" in page
    assert 'name="mode"' in page and 'type="hidden"' in page  # the kind has no mode: not offered
    assert f'value="{KEY}"' not in as_operator_a.get("/core/import/").content.decode()
    assert upload(as_operator_a, workbook([["2040年1月2日", "是", "", ""]])).status_code == 404
    template = as_admin.get(f"/core/import/template/{KEY}.xlsx")
    assert template.status_code == 200 and "attachment" in template["Content-Disposition"]
    assert not Job.objects.exists()


def test_an_import_of_the_kind_is_checked_previewed_confirmed_and_written_as_one_job(
    as_admin, admin_user, locks, django_capture_on_commit_callbacks
):
    CalendarDay.objects.create(day=DAY(2040, 1, 2), is_workday=False, note="旧")
    CalendarDay.objects.create(day=DAY(2040, 1, 3), is_workday=False, note="不动")
    content = workbook([
        ["2040年1月2日", "是", "调休上班", "2039-12-31"],
        ["20400103", "否", "不动", ""],
        ["2040年2月1日", "否", "新的", "2040-01-01"],
    ])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(as_admin, content)
    job = Job.objects.get()
    assert (job.kind, job.params["kind"], job.status) == (IMPORT, KEY, JobStatus.SUCCEEDED)
    assert response["Location"] == f"/core/import/{job.pk}/"
    assert job.result["counts"] == {"new": 1, "updated": 1, "unchanged": 1, "errors": 0}
    assert [(m, of) for m, of, _ in locks if m is CalendarDay] == []  # the check locks nothing

    # The preview: what the update changes (old → new, labelled by the file's headers), unchanged
    # rows say 不变, a warning is text in its row.
    rows = job.result["preview"]["rows"]
    assert [(r["row"], r["status_label"]) for r in rows] == [(2, "更新"), (3, "不变"), (4, "新增")]
    assert rows[0]["changes"] == [{"field": "工作日", "old": "否", "new": "是"},
                                  {"field": "备注", "old": "旧", "new": "调休上班"}]
    assert rows[0]["warnings"] == ["备注写了调休，请核对是否为工作日"]
    assert rows[1]["changes"] == [] and rows[2]["changes"] == []
    body = as_admin.get(f"/core/import/{job.pk}/").content.decode()
    change = '<span class="text-nowrap">工作日：</span><span class="text-nowrap text-muted">否</span> → '
    assert change + '<span class="text-nowrap">是</span>' in body
    warning = "⚠ 备注写了调休，请核对是否为工作日"
    assert f'<div class="text-warning-emphasis" data-testid="warning-text">{warning}</div>' in body
    assert '<span data-testid="row-outcome">不变</span>' in body

    # The declared date column comes back as a date between the check and the write; the column
    # merely named like one stays the text it was.
    parsed = load_values(SPEC, [{"day": "2040-02-01", "source_date": "2040-01-01"}])
    assert parsed == [{"day": DAY(2040, 2, 1), "source_date": "2040-01-01"}]

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        assert as_admin.post(f"/core/import/{job.pk}/").status_code == 302
    job.refresh_from_db()
    assert (Job.objects.count(), job.status, job.params["phase"]) == (1, JobStatus.SUCCEEDED, "write")
    assert job.result["written"] == {"new": 1, "updated": 1, "unchanged": 1, "errors": 0}
    assert list(CalendarDay.objects.filter(day__year=2040).values_list("day", "is_workday", "note")) == [
        (DAY(2040, 1, 2), True, "调休上班"), (DAY(2040, 1, 3), False, "不动"), (DAY(2040, 2, 1), False, "新的")]
    # The rows the write matched were read with SELECT … FOR UPDATE inside its transaction.
    assert [(m, of, atomic) for m, of, atomic in locks if m is CalendarDay] == [(CalendarDay, ("self",), True)]
    if connection.vendor == "postgresql":
        locked = [q["sql"] for q in queries.captured_queries if 'FROM "core_calendarday"' in q["sql"]]
        assert any(sql.rstrip().endswith('FOR UPDATE OF "core_calendarday"') for sql in locked), locked
    record = AuditLog.objects.get(action=AuditAction.IMPORT)
    assert record.changes["kind"] == KEY and record.changes["job"] == job.pk

    # One entry on the jobs page, saying where the import is, linking to its review.
    jobs_page = as_admin.get("/core/jobs/").content.decode()
    assert jobs_page.count(f'href="/core/import/{job.pk}/"') == 1
    assert '<td data-testid="job-status">已导入</td>' in jobs_page
    assert as_admin.get(f"/core/jobs/{job.pk}/")["Location"] == f"/core/import/{job.pk}/"


def test_a_row_the_kind_refuses_names_its_column_and_nothing_is_written(as_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_admin, workbook([["2040年1月2日", "是", "", ""], ["明天", "是", "", ""]]))
    job = Job.objects.get()
    assert job.result["errors"] == [{"row": 3, "column": "日期", "value": "明天", "reason": "无法识别的日期“明天”"}]
    assert '<td data-testid="job-status">有错误，未导入</td>' in as_admin.get("/core/jobs/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert as_admin.post(f"/core/import/{job.pk}/").status_code == 400
    assert not CalendarDay.objects.filter(day__year=2040).exists()
    assert Job.objects.get().params["phase"] == "check"


def test_the_jobs_page_follows_each_phase_of_an_import(as_admin, admin_user, django_assert_max_num_queries):
    phases = [
        ({"phase": "check"}, JobStatus.QUEUED, {}, "等待校验"),
        ({"phase": "check"}, JobStatus.RUNNING, {}, "正在校验"),
        ({"phase": "check"}, JobStatus.FAILED, {"error": "x"}, "无法校验"),
        ({"phase": "check"}, JobStatus.SUCCEEDED, {"stage": "validated", "error_count": 2}, "有错误，未导入"),
        ({"phase": "check"}, JobStatus.SUCCEEDED, {"stage": "validated", "error_count": 0}, "已校验，待确认"),
        ({"phase": "write"}, JobStatus.QUEUED, {"stage": "validated", "error_count": 0}, "等待写入"),
        ({"phase": "write"}, JobStatus.RUNNING, {"stage": "validated", "error_count": 0}, "正在写入"),
        ({"phase": "write"}, JobStatus.FAILED, {"stage": "validated", "error": "x"}, "未导入"),
        ({"phase": "write"}, JobStatus.SUCCEEDED, {"stage": "written"}, "已导入"),
    ]
    for params, status, result, _ in phases:
        Job.objects.create(kind=IMPORT, title="导入", params={"kind": KEY, **params}, status=status, result=result,
                           created_by=admin_user)
    with django_assert_max_num_queries(8):
        body = as_admin.get("/core/jobs/").content.decode()
    shown = re.findall(r'<td data-testid="job-status">([^<]*)</td>', body)
    assert shown == [label for *_, label in reversed(phases)]  # newest first
