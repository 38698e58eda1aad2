"""The access matrix of the registry's pages: for every page and persona, allowed (200 with the
right content), forbidden or out of scope (404 — never 403), and anonymous (redirect to login).

URLs carry placeholders filled from the ``world`` fixture: ``wa``/``wb`` workers of enterprises
A/B, ``ea``/``eb`` the enterprises, ``ca``/``cb`` their certificates, ``ha``/``hb`` their honours.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from talentpool.core.models import AuditLog
from talentpool.registry.models import Certificate, Honour

pytestmark = pytest.mark.django_db

OK, NO, HOME = 200, 404, 302

LISTS = ["/registry/workers/", "/registry/enterprises/", "/registry/certificates/", "/registry/honours/"]
WORKER_PAGES = ["/registry/workers/{w}/edit/", "/registry/workers/{w}/leave/",
                "/registry/workers/{w}/certificates/new/", "/registry/workers/{w}/honours/new/"]

# (url, {persona: status}); personas not named answer 404.
GET_MATRIX: list[tuple[str, dict[str, int]]] = [
    *[(url, {"admin": OK, "leader": OK, "operator_a": OK, "operator_b": OK}) for url in LISTS],
    ("/registry/workers/new/", {"admin": OK, "operator_a": OK, "operator_b": OK}),
    ("/registry/enterprises/new/", {"admin": OK}),
    ("/registry/workers/{wa}/", {"admin": OK, "leader": OK, "operator_a": OK, "worker": OK}),
    ("/registry/workers/{wb}/", {"admin": OK, "leader": OK, "operator_b": OK}),
    *[(url.format(w="{wa}"), {"admin": OK, "operator_a": OK}) for url in WORKER_PAGES],
    *[(url.format(w="{wb}"), {"admin": OK, "operator_b": OK}) for url in WORKER_PAGES],
    ("/registry/enterprises/{ea}/", {"admin": OK, "leader": OK, "operator_a": OK, "worker": OK}),
    ("/registry/enterprises/{eb}/", {"admin": OK, "leader": OK, "operator_b": OK}),
    ("/registry/workers/{wa}/employer/", {"admin": OK}),
    ("/registry/workers/{wb}/employer/", {"admin": OK}),
    ("/registry/enterprises/{ea}/edit/", {"admin": OK, "operator_a": OK}),
    ("/registry/enterprises/{eb}/edit/", {"admin": OK, "operator_b": OK}),
    ("/registry/me/", {"worker": OK}),
    ("/registry/my-enterprise/", {"operator_a": OK, "operator_b": OK}),
    ("/registry/workers/999999/", {}),
    ("/registry/enterprises/999999/", {}),
    ("/core/audit/", {"admin": OK}),
    ("/core/jobs/", {p: OK for p in ["admin", "leader", "operator_a", "operator_b", "expert", "worker"]}),
]

PERSONAS = ["admin", "leader", "operator_a", "operator_b", "expert", "worker"]


def _cases(matrix):  # type: ignore[no-untyped-def]
    for url, allowed in matrix:
        for persona in PERSONAS:
            yield pytest.param(persona, url, allowed.get(persona, NO), id=f"{persona}-{url}")


# What a 404 may show: nothing of any record (the names of the workers, enterprises, certificates
# and honours of the world), whoever asks.
RECORD_TEXTS = ["慎建民", "单田芳", "浙江久立特材科技股份有限公司", "湖州南浔善琏湖笔厂",
                "S000033050000003000001", "S000033050000003000002", "市技术能手", "湖州工匠"]


@pytest.mark.parametrize(("persona", "url", "expected"), list(_cases(GET_MATRIX)))
def test_get_pages_answer_by_role_and_scope(client_of, world, persona, url, expected):
    response = client_of(persona).get(url.format(**world))
    assert response.status_code == expected
    if expected == NO:
        body = response.content.decode()
        assert [text for text in RECORD_TEXTS if text in body] == []


@pytest.mark.parametrize("url", [url for url, _ in GET_MATRIX] + ["/registry/workers/{wa}/reveal/id_number/"])
def test_it_sends_anonymous_visitors_to_the_login_page(anonymous, world, url):
    path = url.format(**world)
    response = anonymous.get(path)
    assert response.status_code == 302
    assert response.url == f"/login/?next={quote(path)}"


@pytest.mark.parametrize(
    ("persona", "url", "marker"),
    [
        ("admin", "/registry/workers/{wa}/", "慎建民"),
        ("leader", "/registry/workers/{wb}/", "单田芳"),
        ("operator_a", "/registry/workers/{wa}/", "慎建民"),
        ("worker", "/registry/me/", "慎建民"),
        ("worker", "/registry/workers/{wa}/", "慎建民"),
        ("operator_a", "/registry/my-enterprise/", "浙江久立特材科技股份有限公司"),
        ("operator_b", "/registry/my-enterprise/", "湖州南浔善琏湖笔厂"),
        ("worker", "/registry/enterprises/{ea}/", "浙江久立特材科技股份有限公司"),
        ("leader", "/registry/enterprises/{eb}/", "湖州南浔善琏湖笔厂"),
        ("operator_a", "/registry/workers/{wa}/edit/", 'name="id_number"'),
        ("admin", "/registry/enterprises/new/", 'name="uscc"'),
    ],
)
def test_allowed_pages_show_the_right_record(client_of, world, persona, url, marker):
    response = client_of(persona).get(url.format(**world))
    assert response.status_code == 200
    assert marker in response.content.decode()


def test_the_home_page_sends_each_role_to_its_start(client_of, world):
    assert client_of("admin").get("/").url == "/registry/workers/"
    assert client_of("leader").get("/").url == "/registry/workers/"
    assert client_of("operator_a").get("/").url == "/registry/my-enterprise/"
    assert client_of("worker").get("/").url == "/registry/me/"
    response = client_of("expert").get("/")
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


ROWS_A = ["慎建民", "S000033050000003000001", "市技术能手"]
ROWS_B = ["单田芳", "S000033050000003000002", "湖州工匠"]


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("operator_a", ROWS_A, ROWS_B),
        ("operator_b", ROWS_B, ROWS_A),
        ("leader", ROWS_A + ROWS_B, []),
        ("admin", ROWS_A + ROWS_B, []),
    ],
)
def test_lists_show_exactly_the_rows_in_scope(client_of, world, persona, visible, hidden):
    client = client_of(persona)
    pages = "".join(client.get(url).content.decode() for url in LISTS)
    for text in visible:
        assert text in pages
    for text in hidden:
        assert text not in pages


def test_operator_lists_count_only_their_own_rows(as_operator_a, world, enterprise_b):
    from talentpool.registry.tests.factories import WorkerFactory

    WorkerFactory.create_batch(3, enterprise=enterprise_b)
    own = {"/registry/workers/": world["wa"], "/registry/enterprises/": world["ea"],
           "/registry/certificates/": world["ca"], "/registry/honours/": world["ha"]}
    for url in LISTS[1:] + LISTS[:1]:
        response = as_operator_a.get(url)
        assert response.status_code == 200, url
        table = response.context["table"]
        assert table.paginator.count == 1, url
        assert [row.record.pk for row in table.page.object_list] == [own[url]], url


def test_operator_filter_choices_offer_only_their_enterprise(as_operator_a, world):
    body = as_operator_a.get("/registry/workers/").content.decode()
    assert "浙江久立特材科技股份有限公司" in body
    assert "湖州南浔善琏湖笔厂" not in body


def test_operator_filtering_by_another_enterprise_shows_nothing(as_operator_a, world):
    response = as_operator_a.get(f"/registry/workers/?current_enterprise={world['eb']}")
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assert "单田芳" not in response.content.decode()


def test_enterprise_counts_for_an_operator_count_only_their_workers(as_operator_a, world):
    body = as_operator_a.get(f"/registry/enterprises/{world['ea']}/").content.decode()
    assert '<div class="value" data-testid="stat-workers">1</div>' in body


def test_the_worker_sees_their_enterprise_without_its_figures(as_worker, world, enterprise_a):
    """Counted within the worker's view the figures were their own, shown as the company's: the
    worker sees where they work and no figures (more in test_screens.py)."""
    from talentpool.registry.tests.factories import WorkerFactory

    WorkerFactory(name="王小二", enterprise=enterprise_a)
    body = as_worker.get(f"/registry/enterprises/{world['ea']}/").content.decode()
    assert 'data-testid="employer-card"' in body
    assert 'data-testid="stat-workers"' not in body
    assert "王小二" not in body


# POSTs: reveal and delete -------------------------------------------------------------------

REVEAL_MATRIX = [
    ("/registry/workers/{wa}/reveal/id_number/", {"admin": OK, "operator_a": OK, "worker": OK}),
    ("/registry/workers/{wa}/reveal/phone/", {"admin": OK, "operator_a": OK, "worker": OK}),
    ("/registry/workers/{wb}/reveal/id_number/", {"admin": OK, "operator_b": OK}),
    ("/registry/workers/{wb}/reveal/phone/", {"admin": OK, "operator_b": OK}),
    ("/registry/workers/{wa}/reveal/name/", {}),
    ("/registry/workers/{wa}/reveal/id_number_hash/", {}),
]


@pytest.mark.parametrize(("persona", "url", "expected"), list(_cases(REVEAL_MATRIX)))
def test_reveal_answers_by_role_and_scope(client_of, world, persona, url, expected):
    before = AuditLog.objects.count()
    response = client_of(persona).post(url.format(**world))
    assert response.status_code == expected
    assert AuditLog.objects.count() == before + (1 if expected == OK else 0)


DELETE_MATRIX = [
    ("/registry/certificates/{ca}/delete/", {"admin": HOME, "operator_a": HOME}),
    ("/registry/certificates/{cb}/delete/", {"admin": HOME, "operator_b": HOME}),
    ("/registry/honours/{ha}/delete/", {"admin": HOME, "operator_a": HOME}),
    ("/registry/honours/{hb}/delete/", {"admin": HOME, "operator_b": HOME}),
]


@pytest.mark.parametrize(("persona", "url", "expected"), list(_cases(DELETE_MATRIX)))
def test_delete_answers_by_role_and_scope_and_refusals_delete_nothing(client_of, world, persona, url, expected):
    counts = Certificate.objects.count(), Honour.objects.count()
    audit = AuditLog.objects.count()
    response = client_of(persona).post(url.format(**world))
    assert response.status_code == expected
    if expected == NO:
        assert (Certificate.objects.count(), Honour.objects.count()) == counts
        assert AuditLog.objects.count() == audit
    else:
        assert Certificate.objects.count() + Honour.objects.count() == sum(counts) - 1
        assert AuditLog.objects.filter(action="record.delete").count() == 1


@pytest.mark.parametrize("url", ["/registry/certificates/{ca}/delete/", "/registry/honours/{ha}/delete/",
                                 "/registry/workers/{wa}/reveal/id_number/"])
def test_it_refuses_get_on_state_changing_urls(as_admin, world, url):
    response = as_admin.get(url.format(**world))
    assert response.status_code == 405
    assert Certificate.objects.count() == 2 and Honour.objects.count() == 2
    assert AuditLog.objects.count() == 0


def test_anonymous_post_to_reveal_redirects_and_reveals_nothing(anonymous, world, worker_a):
    response = anonymous.post(f"/registry/workers/{worker_a.pk}/reveal/id_number/")
    assert response.status_code == 302
    assert worker_a.id_number not in response.content.decode()
    assert AuditLog.objects.count() == 0


@pytest.mark.parametrize(("url", "shown", "hidden"), [
    ("/registry/workers/?current_enterprise={eb}", "单田芳", "慎建民"),
    ("/registry/certificates/?enterprise={eb}", "S000033050000003000002", "S000033050000003000001"),
    ("/registry/honours/?enterprise={ea}", "市技术能手", "湖州工匠"),
])
def test_filtering_by_enterprise_narrows_the_list(as_admin, world, url, shown, hidden):
    response = as_admin.get(url.format(**world))
    body = response.content.decode()
    assert response.context["table"].paginator.count == 1
    assert shown in body and hidden not in body


def test_operator_filtering_by_their_own_enterprise_works(as_operator_a, world):
    response = as_operator_a.get(f"/registry/workers/?current_enterprise={world['ea']}")
    assert [w.name for w in response.context["object_list"]] == ["慎建民"]


def test_the_enterprise_list_is_ordered_by_name_for_stable_pages(as_admin, world):
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    with warnings.catch_warnings():
        # Only the warning meant: a page of an unordered list (any other warning is not this test's).
        warnings.simplefilter("error", UnorderedObjectListWarning)
        response = as_admin.get("/registry/enterprises/")
    assert response.status_code == 200
    names = [e.name for e in response.context["object_list"]]
    assert names == ["湖州南浔善琏湖笔厂", "浙江久立特材科技股份有限公司"]  # in pinyin order: hu, zhe
