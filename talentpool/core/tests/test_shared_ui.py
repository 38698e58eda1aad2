"""Core's shared UI, for any app's models: the styled filter set, the role check, the list view."""

from __future__ import annotations

import django_filters
import pytest
from django.http import Http404
from django.test import RequestFactory

from talentpool.core.filters import StyledFilterSet
from talentpool.core.forms import FastSelect
from talentpool.core.lists import RestrictedListView
from talentpool.core.models import AuditLog, User
from talentpool.core.pages import require_roles
from talentpool.core.roles import Role


class ByActor(StyledFilterSet):
    """A filter over a core model with a choice of another (users: labelled by ``str``)."""

    actor = django_filters.ModelChoiceFilter(queryset=User.objects.order_by("username"))
    action = django_filters.ChoiceFilter(choices=[("a.b", "AB")])
    is_frontline = django_filters.BooleanFilter(field_name="actor__is_active")

    class Meta:
        model = AuditLog
        fields = ["actor", "action", "is_frontline"]


class ByActorName(ByActor):
    choice_label_fields = {User: "username"}


def test_a_model_choice_of_any_model_is_a_fast_select_labelled_by_its_str(admin_user, leader):
    form = ByActor(data={}, queryset=AuditLog.objects.all()).form
    widget = form.fields["actor"].widget
    assert isinstance(widget, FastSelect) and widget.attrs["class"] == "form-select form-select-sm"
    html = widget.render("actor", str(leader.pk))
    assert html == (
        '<select name="actor" class="form-select form-select-sm"><option value="">全部</option>'
        f'<option value="{admin_user.pk}">{admin_user}</option>'
        f'<option value="{leader.pk}" selected>{leader}</option></select>'
    )
    assert [str(label) for _value, label in form.fields["action"].choices] == ["全部", "AB"]


def test_a_model_labelled_by_one_column_reads_that_column(admin_user, leader, django_assert_num_queries):
    widget = ByActorName(data={}, queryset=AuditLog.objects.all()).form.fields["actor"].widget
    with django_assert_num_queries(1):
        html = widget.render("actor", "")
    assert f'<option value="{admin_user.pk}">admin</option><option value="{leader.pk}">leader</option>' in html


def test_the_choice_filters_the_rows(admin_user, leader):
    from talentpool.core.audit import record
    from talentpool.core.models import AuditAction

    mine = record(admin_user, AuditAction.EXPORT, object_repr="x")
    record(leader, AuditAction.EXPORT, object_repr="y")
    assert list(ByActor(data={"actor": admin_user.pk}, queryset=AuditLog.objects.all()).qs) == [mine]


@pytest.mark.parametrize(("persona", "roles", "allowed"), [
    ("admin_user", (), True), ("leader", (), False), ("leader", (Role.LEADER,), True),
    ("operator_a", (Role.LEADER,), False), ("expert", (Role.EXPERT, Role.LEADER), True)])
def test_require_roles(request, persona, roles, allowed):
    http = RequestFactory().get("/")
    http.user = request.getfixturevalue(persona)
    if allowed:
        assert require_roles(http, *roles) is None
    else:
        with pytest.raises(Http404):
            require_roles(http, *roles)


def test_require_roles_refuses_the_anonymous():
    from django.contrib.auth.models import AnonymousUser

    http = RequestFactory().get("/")
    http.user = AnonymousUser()
    with pytest.raises(Http404):
        require_roles(http)


def test_a_list_without_export_or_posted_filter_offers_neither(as_admin, admin_user):
    from django.test import override_settings
    from django.urls import include, path

    class UserList(RestrictedListView):
        model = User
        filterset_fields = ["role"]
        table_pagination = {"per_page": 50}
        title = "users"

        def get_queryset(self):  # type: ignore[no-untyped-def]
            return User.objects.order_by("pk")

        def get_table_class(self):  # type: ignore[no-untyped-def]
            from talentpool.core.tables import ListTable

            class Table(ListTable):
                class Meta(ListTable.Meta):
                    model = User
                    fields = ["username"]

            return Table

    urls = type("urls", (), {"urlpatterns": [path("users/", UserList.as_view()), path("", include("talentpool.urls"))]})
    with override_settings(ROOT_URLCONF=urls):
        page = as_admin.get("/users/")
        assert page.status_code == 200
        assert (page.context["export_url"], page.context["filter_method"]) == ("", "get")
        assert as_admin.get("/users/?export=xlsx").get("Content-Type", "").startswith("text/html")
        assert as_admin.post("/users/", {"role": "admin"}).status_code == 405
