"""Pages read keys first, then rows (core/pagination.py): the same rows, in the same order, as a
plain Paginator, on every page, for every ordering a list offers."""

from __future__ import annotations

import re

import pytest
from django.core.paginator import Paginator
from django.db.models import Count

from talentpool.core.pagination import DeferredJoinPaginator, page_of
from talentpool.registry.models import Enterprise, Worker
from talentpool.registry.tests.factories import EnterpriseFactory, WorkerFactory

pytestmark = pytest.mark.django_db

NAMES = ["张伟", "单田芳", "丁丹", "欧阳修", "严东", "张伟", "曾国藩", "解缙", "王芳", "汪洋", "王芳", "李娜", "张伟"]


@pytest.fixture
def workers(enterprise_a, enterprise_b):  # type: ignore[no-untyped-def]
    made = []
    for i, name in enumerate(NAMES):  # repeated names: ties broken by pk
        made.append(WorkerFactory(name=name, enterprise=enterprise_a if i % 3 else enterprise_b, skill_level=i % 5))
    return made


@pytest.mark.parametrize("ordering", [
    ("name_sort", "name", "pk"),
    ("-name_sort", "-name", "-pk"),
    ("skill_level", "pk"),
    ("current_enterprise__name", "name_sort", "name", "pk"),
    ("-birth_date", "pk"),
    ("skill_level",),  # ties: the deferred paginator breaks them by primary key
])
@pytest.mark.parametrize("per_page", [1, 4, 5, 50])
def test_every_page_holds_the_rows_a_plain_paginator_gives(workers, ordering, per_page):
    """(with the primary key as the last tie-breaker, which the deferred paginator adds itself)"""
    queryset = Worker.objects.select_related("current_enterprise").order_by(*ordering)
    plain_queryset = queryset if ordering[-1].endswith("pk") else queryset.order_by(*ordering, "pk")
    plain, deferred = Paginator(plain_queryset, per_page), DeferredJoinPaginator(queryset, per_page)
    assert deferred.num_pages == plain.num_pages
    for number in plain.page_range:
        expected = list(plain.page(number).object_list)
        got = list(deferred.page(number).object_list)
        assert [w.pk for w in got] == [w.pk for w in expected]
        assert [w.current_enterprise.name for w in got] == [w.current_enterprise.name for w in expected]


def test_orphans_join_the_last_page_as_with_a_plain_paginator(workers):
    deferred = DeferredJoinPaginator(Worker.objects.order_by("pk"), 5, orphans=3)  # 13 rows: 5 + 8
    assert deferred.num_pages == 2
    assert [w.pk for w in deferred.page(2).object_list] == [w.pk for w in workers[5:]]


def test_a_page_costs_two_queries_whatever_its_depth(workers, django_assert_num_queries):
    queryset = Worker.objects.select_related("current_enterprise__industry").order_by("name_sort", "name", "pk")
    paginator = DeferredJoinPaginator(queryset, 2)
    assert paginator.count == len(NAMES)
    for number in (1, 4, 7):
        with django_assert_num_queries(2):  # the page's keys, then its rows with their relations
            rows = list(paginator.page(number).object_list)
            [w.current_enterprise.industry.name for w in rows]


def test_annotated_and_filtered_querysets_keep_their_annotations_and_filters(workers):
    queryset = Enterprise.objects.annotate(worker_count=Count("workers")).order_by("-worker_count", "pk")
    rows = page_of(queryset, 0, 10)
    assert [(e.pk, e.worker_count) for e in rows] == list(queryset.values_list("pk", "worker_count"))
    assert page_of(Worker.objects.filter(name="张伟").order_by("pk"), 1, 3) == [workers[5], workers[12]]
    assert page_of(Worker.objects.none(), 0, 50) == []


def test_a_list_that_is_not_a_queryset_is_sliced():
    paginator = DeferredJoinPaginator(list(range(7)), 3)
    assert list(paginator.page(3).object_list) == [6]


def _row_names(html: str) -> list[str]:
    return re.findall(r'<td><a href="/registry/workers/\d+/">([^<]+)</a></td>', html)


@pytest.mark.parametrize("sort", ["name", "-name", "skill_level", "-birth_year", "current_enterprise"])
def test_the_worker_list_pages_through_every_worker_once_in_list_order(as_admin, workers, sort):
    from talentpool.core.lists import RestrictedListView

    per_page = RestrictedListView.table_pagination["per_page"]
    RestrictedListView.table_pagination["per_page"] = 4
    try:
        seen = []
        for page in range(1, 5):
            response = as_admin.get(f"/registry/workers/?sort={sort}&page={page}")
            assert response.status_code == 200
            seen += [row.record.pk for row in response.context["table"].page.object_list]
            assert _row_names(response.content.decode()) == [
                row.record.name for row in response.context["table"].page.object_list
            ]
    finally:
        RestrictedListView.table_pagination["per_page"] = per_page
    ordering = {"name": ("name_sort", "name", "pk"), "-name": ("-name_sort", "-name", "-pk"),
                "skill_level": ("skill_level", "pk"),
                "-birth_year": ("-birth_date__year", "-name_sort", "-name", "-pk"),
                "current_enterprise": ("current_enterprise__name_sort", "current_enterprise__name", "pk")}[sort]
    assert seen == list(Worker.objects.order_by(*ordering).values_list("pk", flat=True))
    assert len(seen) == len(workers)  # every worker once, ties included


def test_a_worker_row_shows_each_cell_escaped_under_its_header(as_admin, enterprise_a):
    enterprise = EnterpriseFactory(name="A&B<精工>厂")
    worker = WorkerFactory(name="钱多多", enterprise=enterprise, skill_level=4, education="college", is_frontline=False)
    html = as_admin.get("/registry/workers/").content.decode()
    row = re.search(rf"<tr><td><a href=\"/registry/workers/{worker.pk}/\">.*?</tr>", html).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells == [
        f'<a href="/registry/workers/{worker.pk}/">钱多多</a>',
        worker.id_number_masked,
        "男",
        str(worker.birth_date.year),
        "A&amp;B&lt;精工&gt;厂",
        enterprise.industry.name,
        "技师（二级）",
        "大专",
        "—",
    ]
    assert 'class="masked"' in row
