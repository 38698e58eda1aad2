"""``__any`` (core/lookups.py) and the import's ``matching`` helper that uses it."""

from __future__ import annotations

import pytest
from django.db import connection

from talentpool.core.imports.validate import CHUNK, matching
from talentpool.registry.models import Worker
from talentpool.registry.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(enterprise_a):  # type: ignore[no-untyped-def]
    return [WorkerFactory(name=name, enterprise=enterprise_a) for name in ("甲一", "乙二", "丙三")]


def test_matching_finds_exactly_the_rows_whose_value_is_listed_however_many_values(three):
    wanted = [three[0].id_number_hash, three[2].id_number_hash]
    values = wanted + [f"{n:064x}" for n in range(2 * CHUNK + 5)]  # more than two IN chunks elsewhere
    found = sorted(w.pk for w in matching(Worker.objects.all(), "id_number_hash", values))
    assert found == sorted([three[0].pk, three[2].pk])
    assert list(matching(Worker.objects.all(), "id_number_hash", [])) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="= ANY(array) is PostgreSQL's")
def test_any_sends_the_list_as_one_array_parameter(three, django_assert_num_queries):
    from django.test.utils import CaptureQueriesContext

    values = [three[1].id_number_hash, "no such hash"]
    with CaptureQueriesContext(connection) as queries:
        assert [w.pk for w in Worker.objects.filter(id_number_hash__any=values)] == [three[1].pk]
    assert len(queries) == 1 and "= ANY(" in queries[0]["sql"]
    assert list(Worker.objects.filter(id_number_hash__any=[])) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="= ANY(array) is PostgreSQL's")
def test_any_splits_text_on_the_server_and_falls_back_to_an_array_for_other_values(three):
    from django.test.utils import CaptureQueriesContext

    from talentpool.core.lookups import SEPARATOR

    with CaptureQueriesContext(connection) as queries:
        # Quotes, commas and braces are only text; a value holding the separator needs the array.
        assert [w.name for w in Worker.objects.filter(name__any=["乙二", "x'y", "a,b", "{c}"])] == ["乙二"]
        assert [w.name for w in Worker.objects.filter(name__any=["丙三", f"x{SEPARATOR}y"])] == ["丙三"]
        assert sorted(w.name for w in Worker.objects.filter(pk__any=[three[0].pk, three[2].pk])) == ["丙三", "甲一"]
    assert ["string_to_array" in q["sql"] for q in queries] == [True, False, False]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="elsewhere __any must not pass silently")
def test_any_is_refused_outside_postgresql(three):
    with pytest.raises(NotImplementedError):
        list(Worker.objects.filter(id_number_hash__any=["x"]))
