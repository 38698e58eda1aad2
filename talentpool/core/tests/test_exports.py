"""The generic exporter (core.exports): columns, values and order from a django-tables2 table,
cells by type, one audit record per export, import columns that read back."""

from __future__ import annotations

import datetime
import io
from typing import Any

import django_tables2 as tables
import pytest
from django.db.models import QuerySet
from django.test import RequestFactory
from python_calamine import CalamineWorkbook

from talentpool.core import exports
from talentpool.core.models import AuditAction, AuditLog, User
from talentpool.core.ordering import order_by_choices
from talentpool.core.roles import Role
from talentpool.core.tables import ListTable

pytestmark = pytest.mark.django_db


class UserTable(ListTable):
    username = tables.Column(verbose_name="账号")
    role = tables.Column()
    is_active = tables.BooleanColumn()
    date_joined = tables.DateColumn(verbose_name="加入")
    email = tables.Column(exclude_from_export=True)  # on screen only
    shown_name = tables.Column(verbose_name="导出专用", accessor="full_name", visible=False)  # export only

    class Meta(ListTable.Meta):
        model = User
        fields = ["username", "role", "is_active", "date_joined", "email"]
        sequence = ["username", "shown_name", "role", "is_active", "date_joined", "email"]
        export_widths = {"username": 30}

    def value_shown_name(self, value: str) -> str:
        return f"〔{value}〕"

    def order_role(self, queryset: QuerySet[Any], is_descending: bool) -> tuple[QuerySet[Any], bool]:
        return order_by_choices(queryset, "role", Role, is_descending, then=("username",))


def _user(username: str, role: str, **extra: Any) -> User:
    return User.objects.create_user(username=username, role=role, full_name=username.upper(), **extra)


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    joined = datetime.datetime(2024, 3, 5, 9, 30, tzinfo=datetime.UTC)
    return [
        _user("carol", Role.EXPERT, date_joined=joined, email="c@example.org"),
        _user("alice", Role.LEADER, date_joined=joined, is_active=False),
        _user("bob", Role.ADMIN, date_joined=joined),
    ]


def _request(query: str = "", user: User | None = None):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/list/" + query)
    request.user = user or User.objects.get(username="bob")
    return request


def _sheet(response) -> list[list[Any]]:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == exports.XLSX
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def _export(query: str = "") -> list[list[Any]]:
    response = exports.export_table(_request(query), UserTable, User.objects.all(), kind="users", title="用户",
                                    filters=query.lstrip("?"))
    return _sheet(response)


def test_the_columns_are_the_tables_with_its_headers_and_values(people):
    rows = _export("?sort=username")
    assert rows[0] == ["账号", "导出专用", "角色", "启用", "加入"]  # email excluded, the hidden column in
    assert rows[1] == ["alice", "〔ALICE〕", "领导小组成员单位", "否", datetime.date(2024, 3, 5)]
    assert [r[0] for r in rows[1:]] == ["alice", "bob", "carol"]


def test_the_export_follows_the_tables_sort_including_custom_order_methods(people):
    assert [r[0] for r in _export("?sort=-username")[1:]] == ["carol", "bob", "alice"]
    # order_role: by the order of the role choices (admin, leader, operator, …), not alphabetically
    assert [r[0] for r in _export("?sort=role")[1:]] == ["bob", "alice", "carol"]
    assert [r[0] for r in _export("?sort=-role")[1:]] == ["carol", "alice", "bob"]


def test_without_a_sort_the_export_keeps_the_querysets_order_ties_by_primary_key(people):
    assert [r[0] for r in _export()[1:]] == ["carol", "alice", "bob"]  # User has no ordering: by pk


def test_an_unknown_sort_is_ignored_as_the_page_ignores_it(people):
    assert [r[0] for r in _export("?sort=password")[1:]] == ["carol", "alice", "bob"]


def test_every_export_is_one_audit_record(people):
    _export("?sort=-username")
    log = AuditLog.objects.get()
    assert (log.action, log.actor_label, log.object_repr, log.changes) == (
        AuditAction.EXPORT, "bob", "用户 (3)", {"kind": "users", "rows": 3, "filters": "sort=-username"})


def test_the_queries_do_not_grow_with_the_rows(people, django_assert_num_queries):
    def export() -> int:
        request = _request()
        # the rows in one query (streamed in chunks); the audit record: savepoint, chain head
        # locked, insert, head moved on, release
        with django_assert_num_queries(6):
            response = exports.export_table(request, UserTable, User.objects.all(), kind="users", title="用户",
                                            filters="")
        return len(_sheet(response)) - 1

    assert export() == 3
    for n in range(30):
        _user(f"user{n}", Role.EXPERT)
    assert export() == 33


def test_related_paths_join_what_the_accessors_walk_through():
    assert exports.related_paths(User, ["username", "enterprise__industry__name", "enterprise__name", "worker"]) == [
        "enterprise__industry", "worker"]


def test_cells_are_written_by_type(db):
    columns = [
        exports.ExportColumn("文本", lambda r: r["text"]),
        exports.ExportColumn("代码", lambda r: r["code"], is_text=True),
        exports.ExportColumn("数", lambda r: r["n"]),
        exports.ExportColumn("日期", lambda r: r["day"]),
        exports.ExportColumn("是否", lambda r: r["flag"]),
        exports.ExportColumn("空", lambda r: None),
    ]
    rows = [{"text": "甲", "code": "007", "n": 3, "day": datetime.date(2020, 1, 2), "flag": True},
            {"text": "乙", "code": "0", "n": 2.5, "day": datetime.date(2021, 12, 31), "flag": False}]
    content, count = exports.write_workbook(columns, iter(rows), "表" * 40)
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert count == 2
    assert book.sheet_names == ["表" * 31]  # Excel's limit
    assert book.get_sheet_by_index(0).to_python() == [
        ["文本", "代码", "数", "日期", "是否", "空"],
        ["甲", "007", 3.0, datetime.date(2020, 1, 2), "是", ""],
        ["乙", "0", 2.5, datetime.date(2021, 12, 31), "否", ""],
    ]


def test_an_export_with_personal_data_in_full_is_one_record_both_export_and_reveal(people):
    columns = [exports.ExportColumn("账号", lambda u: u.username)]
    response = exports.export_records(_request(), columns, User.objects.order_by("username"), kind="users",
                                      title="用户（可导入）", filters="q=%E7%8E%8B", reveal=("id_number", "phone"))
    assert [r[0] for r in _sheet(response)] == ["账号", "alice", "bob", "carol"]
    log = AuditLog.objects.get()
    assert (log.action, log.object_repr, log.changes) == (
        exports.EXPORT_REVEAL, "用户（可导入） (3)",
        {"kind": "users", "rows": 3, "filters": "q=%E7%8E%8B", "revealed": ["id_number", "phone"]})


class _Spec:
    """An import column spec as core.imports declares them (duck-typed)."""

    def __init__(self, key: str, header: str, *, choices: tuple[str, ...] = (), parse: Any = None,
                 required: bool = False, is_text: bool = False) -> None:
        self.key, self.choices, self.is_text, self.width = key, choices, is_text, 12
        self.template_header = f"{header}*" if required else header
        self.parse = parse or (lambda value, text: text)


def test_import_columns_write_stored_values_as_the_labels_the_import_reads_back(db):
    yes_no = {"是": True, "否": False, "Y": True}
    levels = {"低": 1, "初级": 1, "高": 2}
    specs = [
        _Spec("name", "姓名", required=True),
        _Spec("flag", "一线", choices=("是", "否"), parse=lambda v, t: yes_no[t]),
        _Spec("level", "等级", choices=("初级", "低", "高"), parse=lambda v, t: levels[t]),
        _Spec("code", "编码", is_text=True),
    ]
    columns = exports.import_columns(specs, {"name": lambda r: r[0], "flag": lambda r: r[1],
                                             "level": lambda r: r[2], "code": lambda r: r[3]})
    assert [c.header for c in columns] == ["姓名*", "一线", "等级", "编码"]
    assert [c.is_text for c in columns] == [False, False, False, True]
    record = ("王", False, 1, "0012")
    assert [c.value(record) for c in columns] == ["王", "否", "初级", "0012"]  # the first label of a value
    assert [c.value(("李", True, None, "")) for c in columns] == ["李", "是", None, ""]


def test_import_columns_refuse_a_column_without_a_value(db):
    with pytest.raises(KeyError):
        exports.import_columns([_Spec("name", "姓名"), _Spec("phone", "手机号")], {"name": lambda r: r})


def _scratch_dirs() -> set[str]:
    import os
    import tempfile

    places = [tempfile.gettempdir(), exports.RAM_SCRATCH]
    return {os.path.join(p, n) for p in places if os.path.isdir(p) for n in os.listdir(p) if n.startswith("export-")}


@pytest.mark.parametrize("private", [False, True])
def test_rows_are_written_in_constant_memory_and_the_scratch_space_removed(db, private):
    import tracemalloc

    def cell(i: int) -> Any:
        return lambda n: f"{n}-{i}-王建国"

    columns = [exports.ExportColumn(f"列{i}", cell(i)) for i in range(12)]
    before = _scratch_dirs()
    tracemalloc.start()
    try:
        content, count = exports.write_workbook(columns, iter(range(5000)), "表", private=private)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 5000
    # the sheet kept in memory takes some 30 MiB for these 60,000 cells; streamed, about the file's size
    assert peak < 3 * 2**20 + 2 * len(content)
    assert _scratch_dirs() == before


def test_personal_data_in_full_waits_only_in_ram(monkeypatch):
    import os

    scratch = exports._scratch(True)
    if os.path.isdir(exports.RAM_SCRATCH):
        assert scratch is not None and scratch.name.startswith(exports.RAM_SCRATCH + "/")
        scratch.cleanup()
    monkeypatch.setattr(exports, "RAM_SCRATCH", "/nonexistent")
    assert exports._scratch(True) is None  # then the sheet stays in memory, never on a disk
