"""Excel import of the registry's kinds: reading, validating every row, writing all or nothing
(through core's import job)."""

from __future__ import annotations

import datetime
import gc
import io
from typing import Any

import pytest
import xlsxwriter
from django.db import IntegrityError
from python_calamine import CalamineWorkbook

from talentpool.core.imports.jobs import IMPORT, WRITE
from talentpool.core.imports.jobs import confirm as confirm_import
from talentpool.core.imports.reader import ImportFileError, read_sheet
from talentpool.core.imports.validate import Outcome, RowError, validate_sheet
from talentpool.core.imports.workbooks import build_template
from talentpool.core.jobs import continue_job, execute_job, start_job
from talentpool.core.models import AuditAction, AuditLog, Job, JobStatus, User
from talentpool.registry import services
from talentpool.registry.imports import ImportKind, spec_for
from talentpool.registry.models import Certificate, Employment, Enterprise, Honour, Industry, Occupation, Worker
from talentpool.registry.tests.factories import (
    CertificateFactory,
    HonourFactory,
    IndustryFactory,
    WorkerFactory,
    make_id_number,
    make_uscc,
)

D = datetime.date
ID_M = make_id_number(D(1985, 3, 12), male=True, seq=11)  # 33050319850312011x
ID_F = make_id_number(D(1990, 7, 1), male=False, seq=22)
WORKER_HEADERS = ["姓名", "身份证号", "手机号", "学历", "退休类别", "一线职工", "参加工作时间", "技能等级", "职业编码",
                  "所在企业", "入职时间", "岗位"]


class DateCell:
    """A real Excel date cell (number with a date format)."""

    def __init__(self, value: datetime.date) -> None:
        self.value = value


def workbook(headers: list[str], rows: list[list[Any]], *, title_rows: int = 0) -> bytes:
    """An .xlsx in memory: str cells as text, numbers as numbers, DateCell as formatted dates."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for t in range(title_rows):
        sheet.write_string(t, 0, "职工信息表")
    for col, header in enumerate(headers):
        sheet.write_string(title_rows, col, header)
    for r, row in enumerate(rows, start=title_rows + 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, DateCell):
                sheet.write_datetime(r, c, datetime.datetime.combine(value.value, datetime.time()), date_format)
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def worker_row(name: str = "沈建国", id_number: str = ID_M, *, enterprise: str = "", start: Any = "2015-03-01",
               **extra: Any) -> list[Any]:
    values = {"姓名": name, "身份证号": id_number, "所在企业": enterprise, "入职时间": start, **extra}
    return [values.get(h) for h in WORKER_HEADERS]


def validate(kind: str, content: bytes, actor: User, mode: str = "update") -> Outcome:
    return validate_sheet(read_sheet(content, spec_for(kind)), actor=actor, mode=mode)


def run_import(
    kind: str, content: bytes, actor: User, mode: str = "update", *, confirm: bool = True
) -> tuple[Job, Job | None]:
    """Check (and write, if there are no errors and ``confirm``) through the import job: the job as
    the check left it, and the same job once written (None without a write)."""
    job = start_job(IMPORT, actor=actor, title="test", params={"kind": kind, "mode": mode, "filename": "t.xlsx"},
                    input_name="t.xlsx", input_content=content)
    job = execute_job(job.pk)
    assert gc.isenabled()  # the job paused the cycle collector only while it ran
    job.refresh_from_db()
    if not confirm or job.status != JobStatus.SUCCEEDED or job.result["error_count"]:
        return job, None
    assert confirm_import(job)
    execute_job(job.pk)
    assert gc.isenabled()
    return job, Job.objects.get(pk=job.pk)


def force_write(job: Job) -> Job:
    """Queue the write of ``job`` whatever its check found (as a forged confirmation would) and run it."""
    continue_job(Job.objects.get(pk=job.pk), params={**job.params, "phase": WRITE})
    return execute_job(job.pk)


def errors_of(job: Job) -> list[tuple[int, str, str, str]]:
    return [(e["row"], e["column"], e["value"], e["reason"]) for e in job.result["errors"]]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def lathe(db):  # type: ignore[no-untyped-def]
    return Occupation.objects.get(code="6-18-01-01")  # 车工, loaded by migration 0011


# Workers ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_imports_workers_with_their_employment(admin_user, enterprise_a, lathe):
    content = workbook(WORKER_HEADERS, [
        worker_row("沈建国", ID_M, enterprise=enterprise_a.name, start="2015-03-01", 手机号="13812345678", 学历="大专",
                   一线职工="是", 参加工作时间="2008.07", 技能等级="高级工", 职业编码="6-18-01-01", 岗位="车工"),
        worker_row("陈丽", ID_F, enterprise=enterprise_a.uscc, start="2016年5月", 退休类别="女职工（50岁）",
                   一线职工="否"),
    ])
    job, write = run_import("workers", content, admin_user)
    assert job.result["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "errors": 0}
    assert write is not None and write.status == JobStatus.SUCCEEDED, write.result
    assert write.result["written"] == {"new": 2, "updated": 0, "unchanged": 0, "errors": 0}
    assert write.pk == job.pk  # one job, one entry on the jobs page

    assert Worker.objects.count() == 2
    shen = Worker.objects.get(name="沈建国")
    assert shen.id_number == ID_M
    assert shen.id_number_masked == ID_M[:6] + "********" + ID_M[-4:]
    assert (shen.birth_date, shen.sex) == (D(1985, 3, 12), "M")
    assert (shen.phone, shen.phone_masked) == ("13812345678", "138****5678")
    assert (shen.education, shen.retirement_category, shen.is_frontline) == ("college", "man", True)
    assert (shen.work_start_date, shen.skill_level, shen.occupation) == (D(2008, 7, 1), 3, lathe)
    assert shen.current_enterprise == enterprise_a
    assert shen.name_search == "shenjianguo sjg"
    employment = Employment.objects.get(worker=shen)
    assert (employment.enterprise, employment.start_date, employment.end_date, employment.position) == (
        enterprise_a, D(2015, 3, 1), None, "车工")
    assert employment.occupation == lathe
    chen = Worker.objects.get(name="陈丽")
    assert (chen.sex, chen.retirement_category, chen.is_frontline, chen.phone) == ("F", "woman_50", False, "")
    assert Employment.objects.get(worker=chen).start_date == D(2016, 5, 1)

    imports = AuditLog.objects.filter(action=AuditAction.IMPORT)
    assert imports.count() == 1
    assert imports.get().changes == {"kind": "workers", "file": "t.xlsx", "job": job.pk, "mode": "update",
                                     "new": 2, "updated": 0, "unchanged": 0}
    created = AuditLog.objects.filter(action=AuditAction.CREATE, object_id=str(shen.pk)).get()
    assert created.actor == admin_user
    assert created.changes["id_number"] == [None, shen.id_number_masked]
    assert created.changes["enterprise"] == [None, enterprise_a.name]
    assert created.changes["phone"] == [None, "138****5678"]
    assert created.changes["occupation"] == [None, str(lathe)]


@pytest.mark.django_db
def test_it_normalises_full_width_characters_and_stray_spaces(admin_user, enterprise_a):
    full_width_id = ID_F[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + ID_F[-1]
    content = workbook(WORKER_HEADERS, [
        worker_row("  陈  丽 ", " " + full_width_id + " ", enterprise=" " + enterprise_a.name + "  ",
                   start="２０１６－０５－０１", 退休类别=" 女职工（55岁）", 手机号="１３８ １２３４ ５６７８"),
    ])
    job, write = run_import("workers", content, admin_user)
    assert write is not None and write.status == JobStatus.SUCCEEDED, job.result
    worker = Worker.objects.get()
    assert (worker.name, worker.id_number, worker.phone) == ("陈丽", ID_F, "13812345678")  # a Han name: no space
    assert worker.retirement_category == "woman_55"
    assert Employment.objects.get().start_date == D(2016, 5, 1)


@pytest.mark.django_db
def test_it_reads_every_date_format(admin_user, enterprise_a):
    ids = [make_id_number(D(1980, 1, n), seq=101) for n in range(1, 8)]
    starts = ["2018.05", "2018年5月", "2018-05-01", 43221, DateCell(D(2018, 5, 1)), 2018.05, "2018/5/1"]
    content = workbook(WORKER_HEADERS, [
        worker_row(f"职工{n}", ids[n], enterprise=enterprise_a.name, start=start) for n, start in enumerate(starts)
    ])
    job, _ = run_import("workers", content, admin_user)
    assert job.result["error_count"] == 0, job.result["errors"]
    assert sorted(Employment.objects.values_list("start_date", flat=True)) == [D(2018, 5, 1)] * 7


@pytest.mark.django_db
def test_it_refuses_id_numbers_that_excel_turned_into_numbers(admin_user, enterprise_a):
    content = workbook(WORKER_HEADERS, [
        worker_row("甲", 330503199001011234, enterprise=enterprise_a.name),
        worker_row("乙", "3.30503E+17", enterprise=enterprise_a.name),
        worker_row("丙", "330503199001011000", enterprise=enterprise_a.name),
    ])
    job, write = run_import("workers", content, admin_user)
    message = "身份证号被 Excel 存成了数字（{}），末几位已丢失；请把该列设置为文本格式后重新填写"
    assert write is None
    assert errors_of(job) == [
        (2, "身份证号", "3.30503E+17", message.format("3.30503E+17")),
        (3, "身份证号", "3.30503E+17", message.format("3.30503E+17")),
        (4, "身份证号", "330503********1000", message.format("330503********1000")),
    ]
    assert Worker.objects.count() == 0


@pytest.mark.django_db
def test_row_errors_name_row_column_and_reason(admin_user, enterprise_a):
    bad_check = ID_M[:-1] + ("0" if ID_M[-1] != "0" else "1")
    content = workbook(WORKER_HEADERS, [
        worker_row("甲", bad_check, enterprise=enterprise_a.name),
        worker_row("", ID_F, enterprise="不存在的公司", start="2018-13-01", 技能等级="大师"),
    ])
    outcome = validate("workers", content, admin_user)
    assert outcome.errors == [
        RowError(2, "身份证号", bad_check[:6] + "********" + bad_check[-4:],
                 "身份证号码校验位不符，请对照证件核对"),
        RowError(3, "姓名", "", "必填项为空"),
        RowError(3, "技能等级", "大师", "无法识别的技能等级“大师”，可填写如：学徒工、初级工、中级工、高级工、"
                 "技师、高级技师、特级技师、首席技师，或五级至一级"),
        RowError(3, "入职时间", "2018-13-01", "无法识别的日期“2018-13-01”：月份应在 1–12 之间"),
        RowError(3, "所在企业", "不存在的公司", "系统中没有名称或统一社会信用代码为“不存在的公司”的企业，请先导入企业"),
        RowError(3, "退休类别", "", "女职工须填写退休类别：“女干部/管理技术岗（原55岁）”或“女工人（原50岁）”"),
    ]
    assert outcome.errors[1].message == "第 3 行“姓名”列：必填项为空"
    assert outcome.counts == {"new": 0, "updated": 0, "unchanged": 0, "errors": 2}


@pytest.mark.django_db
def test_a_text_repeated_down_a_column_gives_every_row_the_same_value_or_error(admin_user, enterprise_a):
    # Each distinct text of a column is parsed once: the result, or the error, holds for each row.
    third = make_id_number(D(1988, 1, 2), male=True, seq=33)
    content = workbook(WORKER_HEADERS, [
        worker_row("甲", ID_M, enterprise=enterprise_a.name, 技能等级="大师", 学历="大专"),
        worker_row("乙", third, enterprise=enterprise_a.name, 技能等级="大师", 学历="大专"),
        worker_row("丙", ID_F, enterprise=enterprise_a.name, 退休类别="女职工（50岁）", 学历=" 大专 "),
    ])
    outcome = validate("workers", content, admin_user)
    reason = ("无法识别的技能等级“大师”，可填写如：学徒工、初级工、中级工、高级工、技师、高级技师、特级技师、首席技师，"
              "或五级至一级")
    assert outcome.errors == [RowError(2, "技能等级", "大师", reason), RowError(3, "技能等级", "大师", reason)]
    assert [p.row for p in outcome.plans] == [4]
    assert outcome.plans[0].fields["education"] == "college"


@pytest.mark.django_db
def test_a_refused_import_writes_nothing(admin_user, enterprise_a):
    content = workbook(WORKER_HEADERS, [
        worker_row("甲", ID_M, enterprise=enterprise_a.name),
        worker_row("乙", ID_F, enterprise=enterprise_a.name),  # no retirement category for a woman
    ])
    audit_before = AuditLog.objects.count()
    job, write = run_import("workers", content, admin_user)
    assert job.result["counts"] == {"new": 1, "updated": 0, "unchanged": 0, "errors": 1}
    assert write is None
    # The confirmation is refused; a forced write refuses too, and writes nothing.
    assert not confirm_import(job)
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED
    forced = force_write(job)
    assert forced.status == JobStatus.FAILED
    assert "未写入任何数据" in forced.result["error"]
    assert (Worker.objects.count(), Employment.objects.count()) == (0, 0)
    assert AuditLog.objects.count() == audit_before
    assert not AuditLog.objects.filter(action=AuditAction.IMPORT).exists()


@pytest.mark.django_db
def test_a_database_error_while_writing_rolls_everything_back(admin_user, enterprise_a, monkeypatch):
    content = workbook(WORKER_HEADERS, [
        worker_row("甲", ID_M, enterprise=enterprise_a.name),
        worker_row("乙", ID_F, enterprise=enterprise_a.name, 退休类别="女职工（50岁）"),
    ])
    job, _ = run_import("workers", content, admin_user, confirm=False)
    assert job.result["error_count"] == 0

    def broken(*args: Any, **kwargs: Any) -> None:
        raise IntegrityError("simulated failure after the workers were inserted")

    monkeypatch.setattr("talentpool.core.imports.write.AuditBatch.save", broken)
    assert confirm_import(job)
    write = execute_job(job.pk)
    assert write.status == JobStatus.FAILED
    assert write.result["error"] == "写入数据库时出错，已全部撤销，未写入任何数据；请稍后重新上传文件"
    assert write.result["counts"] == job.result["counts"]  # the check's findings stay on the page
    assert (Worker.objects.count(), Employment.objects.count(), AuditLog.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_duplicate_id_numbers_in_one_file_name_the_first_row(admin_user, enterprise_a):
    content = workbook(WORKER_HEADERS, [
        worker_row("甲", ID_M, enterprise=enterprise_a.name),
        worker_row("乙", ID_F, enterprise=enterprise_a.name, 退休类别="女职工（50岁）"),
        worker_row("甲", ID_M.lower(), enterprise=enterprise_a.name),
    ])
    outcome = validate("workers", content, admin_user)
    assert outcome.errors == [RowError(4, "身份证号", ID_M[:6] + "********" + ID_M[-4:], "与第 2 行的身份证号重复")]


@pytest.mark.django_db
def test_a_registered_worker_is_updated_never_doubled(admin_user, enterprise_a, worker_a):
    content = workbook(WORKER_HEADERS, [
        worker_row("慎建民", worker_a.id_number, enterprise=enterprise_a.name, 手机号="13900001111", 技能等级="技师",
                   岗位="操作工"),
    ])
    job, write = run_import("workers", content, admin_user)
    assert job.result["counts"] == {"new": 0, "updated": 1, "unchanged": 0, "errors": 0}
    assert write is not None and write.status == JobStatus.SUCCEEDED
    assert Worker.objects.count() == 1
    worker_a.refresh_from_db()
    assert (worker_a.phone, worker_a.phone_masked, worker_a.skill_level) == ("13900001111", "139****1111", 4)
    assert worker_a.education == "senior"  # a blank cell keeps the registered value
    assert Employment.objects.filter(worker=worker_a).count() == 1
    update = AuditLog.objects.get(action=AuditAction.UPDATE, object_id=str(worker_a.pk))
    assert update.changes == {"phone": ["138****5678", "139****1111"], "skill_level": [3, 4]}

    # The same file again changes nothing.
    job, write = run_import("workers", content, admin_user)
    assert job.result["counts"] == {"new": 0, "updated": 0, "unchanged": 1, "errors": 0}


@pytest.mark.django_db
def test_report_mode_refuses_a_registered_worker(admin_user, enterprise_a, worker_a):
    content = workbook(WORKER_HEADERS, [worker_row("慎建民", worker_a.id_number, enterprise=enterprise_a.name)])
    job, write = run_import("workers", content, admin_user, mode="report")
    assert write is None
    assert errors_of(job) == [(2, "身份证号", worker_a.id_number_masked,
                               "该身份证号的职工已登记（已存在）；如需更新请选择“更新已有记录”")]
    assert Worker.objects.count() == 1


@pytest.mark.django_db
def test_an_admin_import_moves_a_worker_to_another_employer(admin_user, enterprise_a, enterprise_b, worker_a):
    content = workbook(WORKER_HEADERS, [
        worker_row("慎建民", worker_a.id_number, enterprise=enterprise_b.uscc, start="2024-03-01", 岗位="质检员"),
    ])
    job, write = run_import("workers", content, admin_user)
    assert write is not None and write.status == JobStatus.SUCCEEDED, (job.result, write.result)
    worker_a.refresh_from_db()
    assert worker_a.current_enterprise == enterprise_b
    history = list(Employment.objects.filter(worker=worker_a).order_by("start_date").values_list(
        "enterprise__name", "start_date", "end_date", "position"))
    assert history == [(enterprise_a.name, D(2010, 3, 1), D(2024, 2, 29), "操作工"),
                       (enterprise_b.name, D(2024, 3, 1), None, "质检员")]
    update = AuditLog.objects.get(action=AuditAction.UPDATE, object_id=str(worker_a.pk))
    assert update.changes == {"enterprise": [enterprise_a.name, enterprise_b.name]}


@pytest.mark.django_db
def test_a_worker_who_left_is_taken_on_only_after_their_last_employment_ended(
    admin_user, operator_a, enterprise_a, enterprise_b, worker_a
):
    services.end_employment(worker_a, actor=operator_a, end_date=D(2024, 2, 29))
    early = workbook(WORKER_HEADERS, [worker_row("慎建民", worker_a.id_number, enterprise=enterprise_b.uscc,
                                                 start="2024-02-01")])
    job, write = run_import("workers", early, admin_user)
    assert write is None
    assert errors_of(job) == [(2, "入职时间", "2024-02-01",
                               "入职时间（2024-02-01）应晚于该职工上一段任职的结束时间（2024-02-29）")]
    assert Employment.objects.filter(worker=worker_a).count() == 1

    on_time = workbook(WORKER_HEADERS, [worker_row("慎建民", worker_a.id_number, enterprise=enterprise_b.uscc,
                                                   start="2024-03-01")])
    job, write = run_import("workers", on_time, admin_user)
    assert write is not None and write.status == JobStatus.SUCCEEDED, (job.result, write.result)
    assert list(Employment.objects.filter(worker=worker_a).order_by("start_date").values_list(
        "enterprise_id", "start_date", "end_date")) == [(enterprise_a.pk, D(2010, 3, 1), D(2024, 2, 29)),
                                                       (enterprise_b.pk, D(2024, 3, 1), None)]


@pytest.mark.django_db
def test_an_operator_cannot_import_workers_of_another_enterprise(operator_a, enterprise_a, enterprise_b, worker_b):
    other_id = make_id_number(D(1991, 2, 3), seq=55)
    content = workbook(WORKER_HEADERS, [
        worker_row("新人", other_id, enterprise=enterprise_b.name),
        worker_row("单田芳", worker_b.id_number, enterprise="", 退休类别="女职工（50岁）"),
        worker_row("本厂", make_id_number(D(1992, 2, 3), seq=57), enterprise=""),
    ])
    job, write = run_import("workers", content, operator_a)
    assert write is None
    assert errors_of(job) == [
        (2, "所在企业", enterprise_b.name, f"只能导入本企业（{enterprise_a.name}）的职工；本列可不填"),
        (3, "身份证号", worker_b.id_number_masked,
         "该身份证号无法在本企业登记。如此人已调入本企业，请联系区总工会办理调动。"),
    ]
    assert job.result["counts"] == {"new": 1, "updated": 0, "unchanged": 0, "errors": 2}
    assert Worker.objects.count() == 1


@pytest.mark.django_db
def test_an_operator_imports_own_workers_with_a_blank_enterprise(operator_a, enterprise_a):
    _, write = run_import("workers", workbook(WORKER_HEADERS, [worker_row("本厂", ID_M)]), operator_a)
    assert write is not None and write.status == JobStatus.SUCCEEDED
    assert Worker.objects.get().current_enterprise == enterprise_a


@pytest.mark.django_db
def test_men_default_to_the_male_category_and_categories_must_match_sex(admin_user, enterprise_a):
    content = workbook(WORKER_HEADERS, [
        worker_row("甲", ID_M, enterprise=enterprise_a.name, 退休类别="女职工（50岁）"),
        worker_row("乙", ID_F, enterprise=enterprise_a.name, 退休类别="男职工"),
    ])
    outcome = validate("workers", content, admin_user)
    assert [(e.row, e.column, e.reason) for e in outcome.errors] == [
        (2, "退休类别", "身份证号显示为男性，退休类别不能是“女工人（原50岁）”，应为“男职工（原60岁）”"),
        (3, "退休类别",
         "身份证号显示为女性，退休类别不能是“男职工（原60岁）”，应为“女干部/管理技术岗（原55岁）”或“女工人（原50岁）”"),
    ]


# Reading ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_headers_in_any_order_extra_columns_and_a_title_row_are_tolerated(admin_user, enterprise_a):
    content = workbook(["入职时间", "备注", "身份证号码", "姓名*", "所在企业"],
                       [["2015-03-01", "随便写", ID_M, "沈建国", enterprise_a.name]], title_rows=1)
    sheet = read_sheet(content, spec_for("workers"))
    assert sheet.header_row == 2
    assert sheet.notes[0] == "已忽略未识别的列：备注"
    outcome = validate_sheet(sheet, actor=admin_user, mode="update")
    assert outcome.errors == []
    assert outcome.counts["new"] == 1


@pytest.mark.django_db
def test_a_missing_required_column_refuses_the_file(admin_user):
    content = workbook(["姓名", "手机号"], [["沈建国", "13812345678"]])
    with pytest.raises(ImportFileError) as caught:
        read_sheet(content, spec_for("workers"))
    assert str(caught.value) == (
        "缺少必填列：身份证号、入职时间。请使用下载的“职工（含任职）”导入模板，不要删除或改名带 * 的列"
    )
    job, _ = run_import("workers", content, admin_user)
    assert job.status == JobStatus.FAILED
    assert job.result["error"] == str(caught.value)


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(ImportFileError, match="无法读取该文件"):
        read_sheet(b"not a workbook", spec_for("workers"))


@pytest.mark.django_db
def test_templates_open_with_calamine_and_carry_the_chinese_headers(enterprise_a):
    for kind in ImportKind:
        spec = spec_for(kind)
        book = CalamineWorkbook.from_filelike(io.BytesIO(build_template(spec)))
        assert "填写说明" in book.sheet_names
        header = book.get_sheet_by_index(0).to_python()[0]
        assert header == [c.template_header for c in spec.columns]
        # A template read back as an import is understood (no rows, every column matched).
        with pytest.raises(ImportFileError, match="没有数据行"):
            read_sheet(build_template(spec), spec)
    workers = CalamineWorkbook.from_filelike(io.BytesIO(build_template(spec_for("workers"))))
    assert workers.get_sheet_by_index(0).to_python()[0][:3] == ["姓名*", "身份证号*", "手机号"]


@pytest.mark.django_db
def test_the_error_report_adds_an_error_column_to_the_original_rows(admin_user, enterprise_a):
    content = workbook(WORKER_HEADERS, [worker_row("甲", ID_M, enterprise=enterprise_a.name),
                                        worker_row("", ID_F, enterprise=enterprise_a.name, 退休类别="女职工（50岁）")])
    job, _ = run_import("workers", content, admin_user)
    with job.result_file.open("rb") as handle:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(handle.read())).get_sheet_by_index(0).to_python()
    assert rows[0] == [*WORKER_HEADERS, "错误说明"]
    assert rows[1][1] == ID_M and rows[1][-1] == ""
    assert rows[2][-1] == "第 3 行 姓名：必填项为空"


# Enterprises ------------------------------------------------------------------------------

ENTERPRISE_HEADERS = [
    "企业名称", "统一社会信用代码", "行业", "所有制", "规上企业", "镇街道", "地址", "联系人", "联系电话",
]


@pytest.mark.django_db
def test_it_imports_enterprises(admin_user):
    IndustryFactory(name="电梯")
    IndustryFactory(name="湖笔")
    code_a, code_b = make_uscc(), make_uscc()
    full_width_b = code_b.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    content = workbook(ENTERPRISE_HEADERS, [
        ["南浔电梯有限公司", code_a, "电梯", "民营", "是", "南浔镇", "南浔区某路 1 号", "王芳", "0572-3012345"],
        ["善琏湖笔厂 ", " " + full_width_b, "湖笔", "集体", "否", "善琏镇", None, None, None],
    ])
    job, write = run_import("enterprises", content, admin_user)
    assert write is not None and write.status == JobStatus.SUCCEEDED, job.result
    a = Enterprise.objects.get(uscc=code_a)
    assert (a.name, a.industry.name, a.ownership, a.is_above_scale, a.town, a.contact_name, a.contact_phone) == (
        "南浔电梯有限公司", "电梯", "non_public", True, "南浔镇", "王芳", "0572-3012345")
    b = Enterprise.objects.get(uscc=code_b)
    assert (b.name, b.ownership, b.is_above_scale, b.contact_phone) == ("善琏湖笔厂", "public", False, "")
    assert AuditLog.objects.filter(action=AuditAction.CREATE).count() == 2
    assert AuditLog.objects.filter(action=AuditAction.IMPORT).count() == 1


@pytest.mark.django_db
def test_enterprise_rows_need_a_known_industry_and_report_mode_refuses_existing(admin_user, enterprise_a):
    content = workbook(ENTERPRISE_HEADERS, [
        ["新企业", make_uscc(), "造船", "民营"],
        [enterprise_a.name, enterprise_a.uscc, "钢材", "民营"],
    ])
    outcome = validate("enterprises", content, admin_user, mode="report")
    known = "、".join(Industry.objects.values_list("name", flat=True)[:20])
    assert [(e.row, e.column, e.reason) for e in outcome.errors] == [
        (2, "行业", f"行业“造船”不在系统的行业列表中（可选：{known}）"),
        (3, "统一社会信用代码", "该统一社会信用代码的企业已登记（已存在）；如需更新请选择“更新已有记录”"),
    ]
    outcome = validate("enterprises", content, admin_user, mode="update")
    assert outcome.statuses[3] == "unchanged"  # blank cells keep the registered values
    assert Enterprise.objects.count() == 1


# Certificates and honours -----------------------------------------------------------------

CERT_HEADERS = ["身份证号", "姓名", "证书编号", "技能等级", "职业(工种)", "发证机构", "发证日期"]
HONOUR_HEADERS = ["身份证号", "姓名", "荣誉名称", "级别", "授予日期", "授予单位"]


@pytest.mark.django_db
def test_it_imports_certificates_and_raises_the_skill_level(operator_a, worker_a, lathe):
    number = "S" + "0" * 14 + "2" + "000123"  # 16th character: grade 2 (技师)
    content = workbook(CERT_HEADERS, [
        [worker_a.id_number, "慎建民", number, "技师", "车工", "南浔区人社局", "2021.06"],
    ])
    job, write = run_import("certificates", content, operator_a)
    assert write is not None and write.status == JobStatus.SUCCEEDED, job.result
    certificate = Certificate.objects.get()
    c = certificate
    assert (c.worker, c.number, c.level, c.occupation, c.issued_on) == (worker_a, number, 4, lathe, D(2021, 6, 1))
    assert certificate.warnings == ""
    worker_a.refresh_from_db()
    assert worker_a.skill_level == 4
    audit = AuditLog.objects.get(action=AuditAction.CREATE)
    assert audit.object_repr == f"慎建民 {number}"
    assert audit.changes == {"worker": "慎建民", "number": number, "level": 4}
    # The same file again: identical certificate, unchanged.
    job, write = run_import("certificates", content, operator_a)
    assert job.result["counts"] == {"new": 0, "updated": 0, "unchanged": 1, "errors": 0}
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_certificates_of_workers_out_of_scope_are_not_found(operator_a, worker_a, worker_b):
    CertificateFactory(worker=worker_a, number="S000033050032000000001")
    content = workbook(CERT_HEADERS, [
        [worker_b.id_number, "单田芳", "S000033050032000000009", "高级工", None, None, "2020-01-01"],
        [make_id_number(D(1970, 1, 1), seq=1), None, "S000033050032000000010", "高级工", None, None, "2020-01-01"],
        [worker_a.id_number, "张三", "S000033050032000000001", "技师", None, None, "2020-01-01"],
    ])
    job, write = run_import("certificates", content, operator_a)
    assert write is None
    assert [(r, c, reason) for r, c, _, reason in errors_of(job)] == [
        (2, "身份证号", "未找到该职工或无权限"),
        (3, "身份证号", "未找到该职工或无权限"),
        (4, "姓名", "姓名与系统中该身份证号的职工不一致"),
        (4, "证书编号", "该证书编号已登记，且与本行内容不一致"),
    ]
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_it_imports_honours(admin_user, worker_a):
    HonourFactory(worker=worker_a, name="市技术能手", level="city", awarded_on=D(2021, 5, 1))
    content = workbook(HONOUR_HEADERS, [
        [worker_a.id_number, "慎建民", "浙江省五一劳动奖章", "省", DateCell(D(2022, 4, 28)), "浙江省总工会"],
        [worker_a.id_number, None, "市技术能手", "市级", "2021-05-01", None],
        [worker_a.id_number, None, "区技术能手", "乡级", "2020-05-01", None],
    ])
    outcome = validate("honours", content, admin_user)
    assert [(e.row, e.column, e.reason) for e in outcome.errors] == [
        (4, "级别", "无法识别的荣誉级别“乡级”，应为：国家级、省级、市级、区级、企业级"),
    ]
    content = workbook(HONOUR_HEADERS, [
        [worker_a.id_number, "慎建民", "浙江省五一劳动奖章", "省", DateCell(D(2022, 4, 28)), "浙江省总工会"],
        [worker_a.id_number, None, "市技术能手", "市级", "2021-05-01", None],
    ])
    job, write = run_import("honours", content, admin_user)
    assert job.result["counts"] == {"new": 1, "updated": 0, "unchanged": 1, "errors": 0}
    assert write is not None and write.status == JobStatus.SUCCEEDED
    honour = Honour.objects.get(name="浙江省五一劳动奖章")
    assert (honour.worker, honour.level, honour.awarded_on, honour.issuer) == (
        worker_a, "provincial", D(2022, 4, 28), "浙江省总工会")
    assert Honour.objects.count() == 2


@pytest.mark.django_db
def test_validation_prefetches_instead_of_querying_per_row(admin_user, enterprise_a, django_assert_max_num_queries):
    rows = [worker_row(f"职工{n}", make_id_number(D(1980, 1, 1) + datetime.timedelta(days=n), seq=13),
                       enterprise=enterprise_a.name) for n in range(60)]
    WorkerFactory(id_number=rows[0][1], enterprise=enterprise_a)
    sheet = read_sheet(workbook(WORKER_HEADERS, rows), spec_for("workers"))
    with django_assert_max_num_queries(5):
        outcome = validate_sheet(sheet, actor=admin_user, mode="update")
    assert outcome.counts == {"new": 59, "updated": 1, "unchanged": 0, "errors": 0}


@pytest.mark.django_db
def test_the_write_job_checks_the_database_again(admin_user, enterprise_a):
    content = workbook(WORKER_HEADERS, [worker_row("甲", ID_M, enterprise=enterprise_a.name)])
    job, _ = run_import("workers", content, admin_user, mode="report", confirm=False)
    assert job.result["counts"]["new"] == 1
    WorkerFactory(id_number=ID_M, enterprise=enterprise_a)  # registered by someone else meanwhile
    assert confirm_import(job)
    write = execute_job(job.pk)
    assert write.status == JobStatus.FAILED
    assert write.result["error"] == (
        "校验之后数据发生了变化，重新校验时有 1 行出错（如第 2 行“身份证号”：该身份证号的职工已登记（已存在）；"
        "如需更新请选择“更新已有记录”），未写入任何数据；请重新上传文件"
    )
    assert Worker.objects.count() == 1
    assert not AuditLog.objects.filter(action=AuditAction.IMPORT).exists()
