"""What the walk through the screens found (issue 8, section 4): each role's enterprise page, the
certificate-number warnings as text, the filters that fold on a phone, one label per choice, full-
width brackets, one date format, the language names, a reversed date range, the duplicate ID that
links to the existing record (and the operator's refusal that still names nobody)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from talentpool.core.models import Job
from talentpool.registry import services
from talentpool.registry.models import Certificate, Worker

from .factories import WorkerFactory

pytestmark = pytest.mark.django_db

NEUTRAL = "该身份证号无法在本企业登记。如此人已调入本企业，请联系区总工会办理调动。"
ADMIN_ELSEWHERE = "此人在库中登记为其他企业的在职职工。须由原企业先办理离职，或由管理员办理任职单位变更。"
OWN = "该身份证号的职工已在本企业登记，请在职工列表中查找。"
REVERSED = "开始日期晚于结束日期。"


def _main(body: str) -> str:
    return body[body.index("<main"):body.index("</main>")]


def _hrefs(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'<a [^>]*href="([^"#]+)"', html)]


def _actions(body: str) -> str:
    start = body.index('data-testid="enterprise-actions"')
    return body[start:body.index("</div>", start)]


# The enterprise page, role by role -------------------------------------------------------------


def test_the_worker_sees_where_they_work_and_none_of_the_enterprise_figures(as_worker, world, enterprise_a):
    enterprise_a.address = "南浔区南浔镇适园路 18 号"
    enterprise_a.save()
    WorkerFactory(name="王小二", enterprise=enterprise_a)
    response = as_worker.get(f"/registry/enterprises/{world['ea']}/")
    assert response.status_code == 200
    main = _main(response.content.decode())
    assert "<h1 class=\"h4 mb-0\">浙江久立特材科技股份有限公司</h1>" in main
    card = main[main.index('data-testid="employer-card"'):]
    for label, value in [("行业", "钢材"), ("镇（街道）", "南浔镇"), ("地址", "南浔区南浔镇适园路 18 号")]:
        assert f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' in card
    # none of the figures that, counted within the worker's view, would be their own
    for figure in ('data-testid="stat-workers"', "职工人数", "一线职工", "按技能等级", "最近登记", "王小二",
                   enterprise_a.uscc, "统一社会信用代码", "联系人"):
        assert figure not in main, figure
    assert _hrefs(_actions(main)) == ["/registry/me/"]


EXPECTED_BUTTONS = {
    "admin": ["/registry/enterprises/{ea}/edit/", "/registry/workers/?current_enterprise={ea}"],
    "leader": ["/registry/workers/?current_enterprise={ea}"],
    "operator_a": ["/registry/enterprises/{ea}/edit/", "/registry/workers/new/", "/core/import/",
                   "/registry/workers/?current_enterprise={ea}"],
    "worker": ["/registry/me/"],
}


@pytest.mark.parametrize("persona", sorted(EXPECTED_BUTTONS))
def test_every_button_and_link_of_the_enterprise_page_opens_for_that_role(client_of, world, persona):
    client = client_of(persona)
    response = client.get(f"/registry/enterprises/{world['ea']}/")
    assert response.status_code == 200
    main = _main(response.content.decode())
    assert _hrefs(_actions(main)) == [url.format(**world) for url in EXPECTED_BUTTONS[persona]]
    links = _hrefs(main)
    assert links  # the buttons at least
    for url in links:
        assert client.get(url).status_code == 200, (persona, url)


def test_the_operator_sees_their_enterprise_figures(as_operator_a, world, enterprise_a, enterprise_b):
    WorkerFactory(name="王小二", enterprise=enterprise_a, is_frontline=False)
    WorkerFactory.create_batch(2, enterprise=enterprise_b)
    main = _main(as_operator_a.get(f"/registry/enterprises/{world['ea']}/").content.decode())
    assert '<div class="value" data-testid="stat-workers">2</div>' in main
    assert "王小二" in main


def test_the_worker_profile_links_to_the_employer_page(as_worker, worker_a, world):
    main = _main(as_worker.get("/registry/me/").content.decode())
    assert f'<a href="/registry/enterprises/{world["ea"]}/">浙江久立特材科技股份有限公司</a>' in main


# Certificate-number warnings ------------------------------------------------------------------

ODD_NUMBER = "ZJ-2019-0042"
ODD_WARNING = "证书编号“ZJ-2019-0042”不是常见的证书编号格式，已按原样保存，请核对"


def _odd_certificate(worker: Worker, actor) -> Certificate:  # type: ignore[no-untyped-def]
    return services.add_certificate(
        worker, services.CertificateData(number=ODD_NUMBER, level=3, issued_on=datetime.date(2021, 4, 1)),
        actor=actor)


def test_the_worker_page_shows_a_certificate_warning_as_text(as_operator_a, operator_a, worker_a):
    _odd_certificate(worker_a, operator_a)
    body = as_operator_a.get(f"/registry/workers/{worker_a.pk}/").content.decode()
    assert f'<div class="small text-warning-emphasis" data-testid="certificate-warning">⚠ {ODD_WARNING}</div>' in body
    assert "title=" not in _main(body)  # not only a tooltip


def test_the_certificate_list_shows_the_warning_as_text(as_admin, admin_user, worker_a, cert_a):
    _odd_certificate(worker_a, admin_user)
    body = as_admin.get("/registry/certificates/").content.decode()
    assert body.count('data-testid="certificate-warning"') == 1
    assert f'data-testid="certificate-warning">⚠ {ODD_WARNING}</div>' in body


def test_the_certificate_form_shows_the_warning_and_saves_only_when_the_number_is_confirmed(
    as_operator_a, worker_a
):
    url = f"/registry/workers/{worker_a.pk}/certificates/new/"
    data = {"number": "S000033050000004000001", "level": "3", "issued_on": "2023-06-01"}
    response = as_operator_a.post(url, data)
    assert response.status_code == 200
    warning = ("证书编号第 16 位表示四级（中级工），与填写的技能等级“高级工（三级）”不一致。"
               "请对照证书核对编号；如编号无误，请勾选“编号无误，按原样保存”后再次保存。")
    assert response.context["form"].errors["number"] == [warning]
    body = response.content.decode()
    assert f'<div class="invalid-feedback d-block">{warning}</div>' in body
    assert re.search(r'<input type="checkbox" name="keep_number" class="form-check-input"[^>]*>', body)
    assert "编号无误，按原样保存</label>" in body
    assert not Certificate.objects.exists()

    response = as_operator_a.post(url, data | {"keep_number": "on"})
    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert (certificate.number, certificate.level) == ("S000033050000004000001", 3)
    assert certificate.warnings == "证书编号第 16 位表示四级（中级工），与填写的技能等级“高级工（三级）”不一致"


def test_a_number_without_doubt_saves_at_once(as_operator_a, worker_a):
    response = as_operator_a.post(f"/registry/workers/{worker_a.pk}/certificates/new/", {
        "number": "S000033050000003000009", "level": "3", "issued_on": "2023-06-01"})
    assert response.status_code == 302
    assert Certificate.objects.get().warnings == ""


# Filters on a phone ----------------------------------------------------------------------------


def test_the_list_filters_fold_behind_one_button_and_open_when_refused(as_admin, world):
    body = as_admin.get("/registry/workers/").content.decode()
    assert body.count('data-bs-toggle="collapse" data-bs-target="#filters"') == 1
    assert '<div class="collapse d-md-block" id="filters">' in body
    assert ">筛选条件</button>" in body
    body = as_admin.get("/registry/certificates/?issued_on_after=2024-01-01&issued_on_before=2023-01-01"
                        ).content.decode()
    assert '<div class="collapse d-md-block show" id="filters">' in body


# A reversed date range --------------------------------------------------------------------------


def test_a_reversed_date_range_says_so_and_lists_nothing(as_admin, world, cert_a, cert_b):
    response = as_admin.get("/registry/certificates/?issued_on_after=2021-01-01&issued_on_before=2019-01-01")
    assert response.status_code == 200
    assert response.context["filter"].form.errors == {"issued_on": [REVERSED]}
    assert list(response.context["table"].data) == []
    body = response.content.decode()
    assert f'<div class="invalid-feedback d-block" role="alert" data-testid="filter-error">{REVERSED}</div>' in body
    assert cert_a.number not in body

    ordered = as_admin.get("/registry/certificates/?issued_on_after=2019-01-01&issued_on_before=2021-01-01")
    assert ordered.context["filter"].form.errors == {}
    assert sorted(c.number for c in ordered.context["table"].data) == sorted([cert_a.number, cert_b.number])
    same_day = as_admin.get("/registry/certificates/?issued_on_after=2020-06-01&issued_on_before=2020-06-01")
    assert len(list(same_day.context["table"].data)) == 2


def test_a_reversed_range_of_the_audit_log_says_so_too(as_admin):
    response = as_admin.get("/core/audit/?at_after=2026-02-01&at_before=2026-01-01")
    assert response.status_code == 200
    assert response.context["filter"].form.errors == {"at": [REVERSED]}
    assert list(response.context["table"].data) == []


# Duplicate ID numbers ---------------------------------------------------------------------------


def _registration(enterprise, id_number):  # type: ignore[no-untyped-def]
    return {"name": "钱多多", "id_number": id_number, "retirement_category": "man", "is_frontline": "on",
            "enterprise": enterprise.pk, "employment_start": "2024-03-01", "position": "焊工"}


def _existing_link(worker: Worker) -> str:
    return (f'<a class="alert-link" href="/registry/workers/{worker.pk}/" data-testid="existing-record">'
            f"查看 {worker.name} 的档案</a>")


def test_an_admin_registering_a_known_id_number_gets_a_link_to_the_record(as_admin, worker_a, enterprise_b):
    before = Worker.objects.count()
    response = as_admin.post("/registry/workers/new/", _registration(enterprise_b, worker_a.id_number))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [ADMIN_ELSEWHERE]
    assert _existing_link(worker_a) in response.content.decode()
    assert as_admin.get(f"/registry/workers/{worker_a.pk}/").status_code == 200
    assert Worker.objects.count() == before


def test_an_operator_registering_their_own_worker_again_gets_the_link(as_operator_a, worker_a, enterprise_a):
    response = as_operator_a.post("/registry/workers/new/", _registration(enterprise_a, worker_a.id_number))
    assert response.context["form"].non_field_errors() == [OWN]
    assert _existing_link(worker_a) in response.content.decode()


def test_the_operator_of_another_enterprise_keeps_the_neutral_refusal(as_operator_b, worker_a, enterprise_b):
    response = as_operator_b.post("/registry/workers/new/", _registration(enterprise_b, worker_a.id_number))
    assert response.context["form"].non_field_errors() == [NEUTRAL]
    body = response.content.decode()
    assert 'data-testid="existing-record"' not in body
    for secret in (worker_a.name, "浙江久立特材科技股份有限公司", f"/workers/{worker_a.pk}/"):
        assert secret not in body


def test_a_known_certificate_number_links_to_its_holder_when_in_view(as_admin, worker_a, worker_b, cert_a):
    response = as_admin.post(f"/registry/workers/{worker_b.pk}/certificates/new/", {
        "number": cert_a.number, "level": "3", "issued_on": "2023-06-01"})
    assert response.context["form"].non_field_errors() == ["该编号的证书已登记。"]
    assert _existing_link(worker_a) in response.content.decode()
    assert Certificate.objects.filter(number=cert_a.number).count() == 1


# Words and formats ------------------------------------------------------------------------------


def test_the_language_switch_names_each_language_in_its_own_words(as_admin):
    body = as_admin.get("/registry/workers/").content.decode()
    assert '<option value="en" lang="en">English</option>' in body
    assert '<option value="zh-hans" lang="zh-hans" selected>简体中文</option>' in body
    assert "英语" not in body


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dates_read_yyyy_mm_dd_where_no_format_is_given(language):
    template = Template("{{ day }}|{{ moment }}|{{ day|date }}|{{ moment|date:'SHORT_DATETIME_FORMAT' }}")
    moment = datetime.datetime(2026, 3, 7, 14, 5, tzinfo=datetime.UTC)
    with translation.override(language):
        shown = template.render(Context({"day": datetime.date(2026, 3, 7), "moment": moment}))
    assert shown == "2026-03-07|2026-03-07 22:05|2026-03-07|2026-03-07 22:05"


def test_the_jobs_page_shows_dates_and_the_status_column(as_operator_a, operator_a):
    Job.objects.create(kind="registry.import.validate", title="导入职工（含任职）：职工名单.xlsx",
                       status="succeeded", created_by=operator_a,
                       created_at=datetime.datetime(2026, 3, 7, 6, 5, tzinfo=datetime.UTC))
    body = as_operator_a.get("/core/jobs/").content.decode()
    assert '<td data-testid="job-status">已完成</td>' in body
    assert "<td>2026-03-07 14:05</td>" in body


# One label per choice ---------------------------------------------------------------------------


def _zh(choices) -> list[str]:  # type: ignore[no-untyped-def]
    with translation.override("zh-hans"):
        return [str(label) for label in choices.labels]


def test_each_choice_reads_the_same_on_the_forms_in_the_rules_and_in_the_import():
    from talentpool.core.imports.cells import CellError
    from talentpool.registry import choices
    from talentpool.registry.imports import schema
    from talentpool.rules.retirement import RetirementCategory as RuleCategory
    from talentpool.rules.skills import SkillLevel as RuleLevel

    assert _zh(choices.RetirementCategory) == ["男职工（原60岁）", "女干部/管理技术岗（原55岁）", "女工人（原50岁）"]
    assert _zh(choices.RetirementCategory) == [RuleCategory(v).label for v in choices.RetirementCategory.values]
    assert _zh(choices.SkillLevel) == [RuleLevel(v).label for v in choices.SkillLevel.values]
    assert _zh(choices.Ownership) == ["公有制", "非公有制"]
    assert _zh(choices.Education) == ["初中及以下", "高中（中专、技校）", "大专", "本科", "研究生"]
    offered = {column.key: column.choices for spec in (schema.ENTERPRISES, schema.WORKERS, schema.HONOURS)
               for column in spec.columns}
    for enum, parse, key in [
        (choices.Ownership, schema.parse_ownership, "ownership"),
        (choices.Education, schema.parse_education, "education"),
        (choices.RetirementCategory, schema.parse_retirement, "retirement_category"),
        (choices.HonourLevel, schema.parse_honour_level, "level"),
        (choices.SkillLevel, schema.parse_skill_level, "skill_level"),
    ]:
        labels = _zh(enum)
        assert offered[key] == tuple(labels), key  # the template's dropdown
        assert [parse(label, label) for label in labels] == list(enum.values), key  # read back
    with pytest.raises(CellError) as refused:
        schema.parse_education("大学肄业", "大学肄业")
    assert str(refused.value) == "无法识别的学历“大学肄业”，应为：初中及以下、高中（中专、技校）、大专、本科、研究生"
    # what earlier templates offered is still read
    assert [schema.parse_retirement(t, t) for t in ("男职工", "女职工（55岁）", "女职工（50岁）")] == [
        "man", "woman_55", "woman_50"]
    assert schema.parse_ownership("公有", "公有") == "public"


def test_the_worker_form_offers_the_same_labels(as_operator_a):
    body = as_operator_a.get("/registry/workers/new/").content.decode()
    for label in ["男职工（原60岁）", "女干部/管理技术岗（原55岁）", "女工人（原50岁）", "高中（中专、技校）",
                  "初级工（五级）"]:
        assert f">{label}</option>" in body, label


# Full-width brackets in Chinese text --------------------------------------------------------------

HAN = re.compile(r"[\u4e00-\u9fff]")


def _catalogue() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every entry of the zh-hans catalogue, plural forms included."""
    from pathlib import Path

    import talentpool

    text = (Path(talentpool.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        parts = dict((key, "".join(re.findall(r'"(.*)"', value))) for key, value in
                     re.findall(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', block, re.M))
        entries += [(parts.get("msgid", ""), value) for key, value in parts.items() if key.startswith("msgstr")]
    return entries


def test_chinese_text_uses_full_width_brackets():
    entries = _catalogue()
    assert len(entries) > 500
    ascii_brackets = [(msgid, msgstr) for msgid, msgstr in entries
                      if HAN.search(msgstr) and re.search(r"[()]", re.sub(r"%\(\w+\)[sd]", "", msgstr))]
    assert ascii_brackets == []
    from talentpool.registry.imports import schema

    texts = [text for spec in (schema.ENTERPRISES, schema.WORKERS, schema.CERTIFICATES, schema.HONOURS)
             for column in spec.columns for text in (column.header, column.help, *column.choices)]
    assert [text for text in texts if re.search(r"[()]", text)] == []


def test_the_retirement_reads_with_full_width_brackets(as_operator_a, worker_a):
    body = as_operator_a.get(f"/registry/workers/{worker_a.pk}/").content.decode()
    assert re.search(r'data-testid="retirement-date">\d{4}年（法定）</span>', body)


def test_the_import_progress_reads_with_full_width_brackets(operator_a):
    from django.template.loader import render_to_string

    job = Job.objects.create(kind="registry.import.validate", title="导入职工", status="running",
                             progress_done=3, progress_total=10, created_by=operator_a)
    with translation.override("zh-hans"):
        html = render_to_string("core/imports/_progress.html", {"job": job})
    assert '<span class="text-muted" data-testid="import-status">（进行中，3 / 10）</span>' in html
    job.progress_total = 0
    with translation.override("zh-hans"):
        html = render_to_string("core/imports/_progress.html", {"job": job})
    assert '<span class="text-muted" data-testid="import-status">（进行中）</span>' in html
