"""Sorting the lists: education and honour levels by level, workers and enterprises in pinyin
order (every enterprise ordering), a visible sort indicator with aria-sort; the export in the
page's order (test_exports.py)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.staticfiles import finders

from .factories import EnterpriseFactory, HonourFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def _names(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200
    return [row.record.name for row in response.context["table"].paginated_rows]


@pytest.fixture
def schooled(enterprise_a):  # type: ignore[no-untyped-def]
    for name, education in [("王五", "bachelor"), ("阿大", "junior"), ("周七", ""), ("李四", "college"),
                            ("张三", "postgraduate"), ("陈六", "senior")]:
        WorkerFactory(name=name, education=education, enterprise=enterprise_a)


def test_education_sorts_by_level_blanks_last(as_admin, schooled):
    # 初中及以下 < 高中（中专、技校） < 大专 < 本科 < 研究生, not the stored codes' alphabet
    assert _names(as_admin, "/registry/workers/?sort=education") == ["阿大", "陈六", "李四", "王五", "张三", "周七"]
    assert _names(as_admin, "/registry/workers/?sort=-education") == ["张三", "王五", "李四", "陈六", "阿大", "周七"]


def test_education_sorted_pages_neither_repeat_nor_skip(as_admin, enterprise_a):
    for n in range(60):
        WorkerFactory(name=f"职工{n:02d}", education=["junior", "bachelor", ""][n % 3], enterprise=enterprise_a)
    first = _names(as_admin, "/registry/workers/?sort=education")
    second = _names(as_admin, "/registry/workers/?sort=education&page=2")
    assert len(first) == 50 and len(second) == 10 and not set(first) & set(second)


def test_workers_sort_by_name_in_pinyin(as_admin, enterprise_a):
    for name in ["张三", "阿大", "李四"]:
        WorkerFactory(name=name, enterprise=enterprise_a)
    assert _names(as_admin, "/registry/workers/") == ["阿大", "李四", "张三"]
    assert _names(as_admin, "/registry/workers/?sort=-name") == ["张三", "李四", "阿大"]


@pytest.fixture
def three_enterprises(enterprise_a, enterprise_b):  # type: ignore[no-untyped-def]
    # in code-point order 浙 < 湖 < 阿; in pinyin a < hu < zhe
    return EnterpriseFactory(name="阿里巴巴南浔分公司")


PINYIN = ["阿里巴巴南浔分公司", "湖州南浔善琏湖笔厂", "浙江久立特材科技股份有限公司"]


def test_enterprises_list_in_pinyin_order(as_admin, three_enterprises):
    assert _names(as_admin, "/registry/enterprises/") == PINYIN
    assert _names(as_admin, "/registry/enterprises/?sort=-name") == PINYIN[::-1]


def test_every_enterprise_ordering_is_pinyin(as_admin, three_enterprises, enterprise_a, enterprise_b):
    WorkerFactory(name="甲", enterprise=enterprise_a)
    WorkerFactory(name="乙", enterprise=enterprise_b)
    WorkerFactory(name="丙", enterprise=three_enterprises)
    response = as_admin.get("/registry/workers/?sort=current_enterprise")
    assert [r.record.current_enterprise.name for r in response.context["table"].paginated_rows] == PINYIN
    # the pickers: the workers' filter and the registration form
    picker = response.context["filter"].form.fields["current_enterprise"]
    assert [e.name for e in picker.queryset] == PINYIN
    form = as_admin.get("/registry/workers/new/").context["form"]
    assert [e.name for e in form.fields["enterprise"].queryset] == PINYIN


def test_honour_levels_sort_by_level(as_admin, worker_a):
    for level in ["city", "national", "enterprise", "provincial", "district"]:
        HonourFactory(worker=worker_a, name=f"{level}荣誉", level=level, awarded_on=datetime.date(2020, 1, 1))
    # 企业级 < 区级 < 市级 < 省级 < 国家级
    assert _names(as_admin, "/registry/honours/?sort=level") == [
        "enterprise荣誉", "district荣誉", "city荣誉", "provincial荣誉", "national荣誉"]
    assert _names(as_admin, "/registry/honours/?sort=-level") == [
        "national荣誉", "provincial荣誉", "city荣誉", "district荣誉", "enterprise荣誉"]


def _headers(client, url: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """``{header text: the th's attributes}`` of the list's table."""
    body = client.get(url).content.decode()
    thead = body[body.index("<thead"):body.index("</thead>")]
    return {re.sub(r"<[^>]+>", "", m.group(2)).strip(): m.group(1)
            for m in re.finditer(r"<th ([^>]*)>(.*?)</th>", thead, re.S)}


def test_sortable_headers_show_how_the_list_is_sorted(as_admin, schooled):
    headers = _headers(as_admin, "/registry/workers/?sort=-education")
    assert 'aria-sort="descending"' in headers["学历"] and "desc" in headers["学历"]
    assert 'aria-sort="none"' in headers["姓名"] and "orderable" in headers["姓名"]
    assert "aria-sort" not in headers["身份证号"] and "orderable" not in headers["身份证号"]  # not sortable
    default = _headers(as_admin, "/registry/workers/")
    assert 'aria-sort="ascending"' in default["姓名"] and "asc" in default["姓名"]  # by name unless told
    assert 'aria-sort="ascending"' in _headers(as_admin, "/registry/enterprises/")["企业名称"]


def test_the_stylesheet_draws_the_indicator():
    path = finders.find("talentpool/site.css")
    assert path is not None
    with open(path, encoding="utf-8") as handle:
        css = handle.read()
    assert 'th.orderable.asc > a::after { content: "▲"' in css
    assert 'th.orderable.desc > a::after { content: "▼"' in css
