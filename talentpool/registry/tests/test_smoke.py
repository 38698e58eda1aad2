import re

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


@pytest.mark.django_db
def test_an_id_number_search_never_reaches_the_url(as_admin, worker_a, worker_b):
    response = as_admin.post("/registry/workers/", {"q": worker_a.id_number.lower(), "sex": ""})
    assert response.status_code == 302
    location = response["Location"]
    assert worker_a.id_number not in location and worker_a.id_number.lower() not in location
    assert location.startswith("/registry/workers/?q=%40")
    found = as_admin.get(location)
    assert found.status_code == 200
    assert [row.record.pk for row in found.context["table"].page.object_list] == [worker_a.pk]
    page = found.content.decode()
    assert "慎建民" in page and "单田芳" not in page
    assert worker_a.id_number not in page


@pytest.mark.django_db
def test_an_unknown_search_token_finds_nothing(as_admin, worker_a):
    response = as_admin.get("/registry/workers/?q=%40deadbeef00")
    assert response.status_code == 200
    assert response.context["table"].paginator.count == 0
    assert "慎建民" not in response.content.decode()


@pytest.mark.django_db
def test_a_name_search_stays_readable_in_the_url(as_admin, worker_a):
    response = as_admin.post("/registry/workers/", {"q": "sjm"})
    assert response.status_code == 302
    assert response["Location"] == "/registry/workers/?q=sjm"
    found = as_admin.get(response["Location"])
    assert found.status_code == 200
    assert [row.record.name for row in found.context["table"].page.object_list] == ["慎建民"]


@pytest.mark.django_db
def test_every_filter_offers_all_rather_than_dashes(as_admin, worker_a):
    response = as_admin.get("/registry/workers/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "---------" not in body
    filters = re.search(r'<form method="[a-z]+" class="filter-form.*?</form>', body, flags=re.S)
    assert filters is not None
    from django import forms

    # one drop-down per choice filter of the form, each offering 全部 first
    fields = response.context["filter"].form.fields
    choice_filters = [name for name, field in fields.items() if isinstance(field.widget, forms.Select)]
    assert len(choice_filters) >= 5
    assert re.findall(r'<select\b[^>]*\bname="([^"]+)"', filters.group(0)) == choice_filters
    selects = re.findall(r"<select\b[^>]*>(.*?)</select>", filters.group(0), flags=re.S)
    first_options = [re.search(r"<option\b[^>]*>[^<]*</option>", options).group(0) for options in selects]
    assert [o for o in first_options if o not in ('<option value="">全部</option>',
                                                  '<option value="" selected>全部</option>')] == []


@pytest.mark.django_db
def test_years_of_service_counts_whole_years_from_the_start_date(worker_a, monkeypatch):
    import datetime

    from django.utils import timezone

    # born 5 July, started 10 July 2005: on 7 July 2026 that is 20 whole years, not 21
    worker_a.birth_date = datetime.date(1985, 7, 5)
    worker_a.work_start_date = datetime.date(2005, 7, 10)
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 7, 7))
    assert worker_a.years_of_service == 20
    assert worker_a.age == 41


@pytest.mark.django_db
def test_the_worker_list_is_in_pinyin_order(as_admin, enterprise_a):
    from talentpool.registry.tests.factories import WorkerFactory

    for name in ["张伟", "单田芳", "丁丹", "欧阳修", "严东"]:
        WorkerFactory(name=name, enterprise=enterprise_a)
    response = as_admin.get("/registry/workers/")
    assert response.status_code == 200
    table = response.context["table"]
    assert [row.record.name for row in table.page.object_list] == ["丁丹", "欧阳修", "单田芳", "严东", "张伟"]
