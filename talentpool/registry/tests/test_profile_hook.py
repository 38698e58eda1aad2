"""The worker page's declared hook: apps add sections (registry.profile), declared once, shown in
order with what their context gives, to whoever may open the page and to no one else."""

from __future__ import annotations

import pytest

from talentpool.registry import profile
from talentpool.registry.profile import (
    ProfileSection,
    profile_sections,
    register_profile_section,
    rendered_sections,
    unregister_profile_section,
)


def greeting(worker, user):  # type: ignore[no-untyped-def]
    return {"text": f"{worker.name} / {user.username}"}


def other(worker, user):  # type: ignore[no-untyped-def]
    return {"text": "other"}


@pytest.fixture
def section_template(settings, tmp_path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "hooktest"
    folder.mkdir()
    (folder / "section.html").write_text(
        '<div data-testid="profile-{{ key }}"><h2>{{ title }}</h2><p>{{ data.text }}</p></div>', encoding="utf-8"
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}, *settings.TEMPLATES[1:]]
    return "hooktest/section.html"


@pytest.fixture
def declared(section_template):  # type: ignore[no-untyped-def]
    sections = [
        ProfileSection("zz_second", "Second", section_template, other, order=9001),
        ProfileSection("zz_first", "First", section_template, greeting, order=9000),
    ]
    for section in sections:
        register_profile_section(section)
    yield sections
    for section in sections:
        unregister_profile_section(section.key)


def test_declaring_the_same_section_again_is_a_no_op_and_a_different_one_an_error():
    section = ProfileSection("zz_test", "Test", "x.html", greeting, order=5)
    before = list(profile_sections())
    try:
        register_profile_section(section)
        register_profile_section(ProfileSection("zz_test", "Test", "x.html", greeting, order=5))  # equal: no-op
        assert [s.key for s in profile_sections()].count("zz_test") == 1
        with pytest.raises(ValueError, match="zz_test"):
            register_profile_section(ProfileSection("zz_test", "Test", "y.html", greeting, order=5))
        with pytest.raises(ValueError):
            register_profile_section(ProfileSection("zz_test", "Test", "x.html", other, order=5))
        assert profile._sections["zz_test"] is section  # the refused one changed nothing
    finally:
        unregister_profile_section("zz_test")
    assert profile_sections() == before
    unregister_profile_section("zz_never_declared")  # ignored


def test_sections_come_in_order_with_their_context(declared, worker_a, admin_user):
    keys = [s.key for s in profile_sections()]
    assert keys.index("zz_first") < keys.index("zz_second")
    assert keys[-2:] == ["zz_first", "zz_second"]
    rendered = {s.key: s for s in rendered_sections(worker_a, admin_user)}
    assert rendered["zz_first"].data == {"text": f"{worker_a.name} / admin"}
    assert rendered["zz_first"].title == "First" and rendered["zz_first"].template == declared[0].template


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["as_admin", "as_leader", "as_operator_a", "as_worker"])
def test_the_worker_page_shows_every_section_to_whoever_may_open_it(request, declared, worker_a, client_name):
    client = request.getfixturevalue(client_name)
    url = "/registry/me/" if client_name == "as_worker" else f"/registry/workers/{worker_a.pk}/"
    page = client.get(url).content.decode()
    first, second = page.index('data-testid="profile-zz_first"'), page.index('data-testid="profile-zz_second"')
    assert first < second
    assert f"{worker_a.name} / " in page and "<h2>First</h2>" in page and "<p>other</p>" in page


@pytest.mark.django_db
def test_another_operator_gets_no_page_and_no_section_runs(declared, worker_a, as_operator_b, monkeypatch):
    calls: list[object] = []
    from talentpool.registry import views

    monkeypatch.setattr(views, "rendered_sections", lambda *a: calls.append(a) or [])
    response = as_operator_b.get(f"/registry/workers/{worker_a.pk}/")
    assert response.status_code == 404
    assert calls == []
    as_operator_b.get("/registry/me/")  # an operator has no profile of their own
    assert calls == []
