"""The list page every app's lists are: filtered, sorted, paginated, scoped, exportable.

A subclass names the model, its table (a ``core.tables.ListTable``), its filter set (a
``core.filters.StyledFilterSet``), a title, the roles besides admins that may open it
(``view_roles``), the relations a row shows (``related``) and, if the list offers "add", the URL
name and roles for it. Every queryset starts from ``Model.objects.restrict(user, Action.VIEW)``.

Exports: a list with an ``export_kind`` shows an "Export to Excel" link (``?export=xlsx`` with the
current filter and sort) and answers it with its table's columns and order (core.exports), audited
with the filters as ``audited_filters`` gives them. A list with a ``full_export``
(core.exports.FullExport) offers admins, and only them, the workbook with personal data in full
(``?export=full``, an audited reveal); anyone else asking for it gets a 404. A list whose
filter may carry personal data (an ID number typed into a search box) posts its filter form
(``filter_method = "post"``) and turns the posted values into a query with ``protected_query``,
so that they never reach a URL or an access log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django_filters.views import FilterView
from django_tables2.views import SingleTableMixin

from .exports import FullExport, export_records, export_table, ordered_table
from .pages import require_roles
from .pagination import DeferredJoinPaginator
from .roles import Action, Role


class RestrictedListView(SingleTableMixin, FilterView):
    """A filtered, sortable, paginated list of what the user may see (see the module's text)."""

    template_name = "core/list.html"
    table_pagination = {"per_page": 50}  # the table paginates; the ListView must not count again
    paginator_class = DeferredJoinPaginator
    model: Any
    title: Any
    view_roles: tuple[str, ...] = (Role.LEADER, Role.OPERATOR)
    related: tuple[str, ...] = ()
    add_url_name = ""
    add_roles: tuple[str, ...] = ()
    export_kind = ""
    full_export: FullExport | None = None
    filter_method = "get"

    def get_queryset(self) -> QuerySet[Any]:
        return self.model.objects.restrict(self.request.user, Action.VIEW).select_related(*self.related)

    def filtered_queryset(self) -> QuerySet[Any]:
        """The rows the current filter selects (none if the filter is not valid), for an export."""
        filterset = self.get_filterset(self.get_filterset_class())
        return filterset.qs if filterset.is_valid() else filterset.queryset.none()

    def audited_filters(self, request: HttpRequest) -> str:
        """The current filter and sort as an export's audit record keeps them (a subclass masks
        what must not be kept in full)."""
        return request.GET.urlencode()

    def export_response(self, request: HttpRequest) -> HttpResponse:
        """The list as a workbook: its table's columns, in the table's order for this request."""
        return export_table(request, self.get_table_class(), self.filtered_queryset(), kind=self.export_kind,
                            title=str(self.title), filters=self.audited_filters(request), **self.get_table_kwargs())

    def can_export_full(self) -> bool:
        user: Any = self.request.user
        return self.full_export is not None and user.is_admin

    def full_export_response(self, request: HttpRequest) -> HttpResponse:
        """The admin's workbook with personal data in full, in the list's order; 404 for anyone else."""
        if not self.can_export_full() or self.full_export is None:
            raise Http404
        export = self.full_export
        table = ordered_table(request, self.get_table_class(), self.filtered_queryset(), **self.get_table_kwargs())
        return export_records(request, export.columns(), export.prepare(table.data.data), kind=self.export_kind,
                              title=str(export.title), filters=self.audited_filters(request), reveal=export.reveal)

    def protected_query(self, request: HttpRequest) -> tuple[QueryDict, str | None]:
        """The GET query the posted filter form stands for, and a refusal to show (or None)."""
        query = QueryDict(mutable=True)
        for key, values in request.POST.lists():
            kept = [value for value in values if value.strip()]
            if kept and key not in {"csrfmiddlewaretoken", "page", "export"}:
                query.setlist(key, kept)
        return query, None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_roles(request, *self.view_roles)
        if self.export_kind and request.GET.get("export") == "xlsx":
            return self.export_response(request)
        if request.GET.get("export") == "full":
            return self.full_export_response(request)
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The filter form posts here (``filter_method = "post"``): redirect to the list with the
        query ``protected_query`` makes of it."""
        require_roles(request, *self.view_roles)
        if self.filter_method != "post":
            return HttpResponseNotAllowed(["GET"])
        query, refusal = self.protected_query(request)
        if refusal is not None:
            messages.error(request, str(refusal))
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        can_add = bool(self.add_url_name) and (user.is_admin or user.role in self.add_roles)
        export_url = full_export_url = ""
        if self.export_kind:
            query = self.request.GET.copy()
            query["export"] = "xlsx"
            query.pop("page", None)
            export_url = "?" + query.urlencode()
            if self.can_export_full():
                query["export"] = "full"
                full_export_url = "?" + query.urlencode()
        return context | {
            "filter_method": self.filter_method,
            "export_url": export_url,
            "full_export_url": full_export_url,
            "title": self.title,
            "add_url": reverse(self.add_url_name) if can_add else "",
        }
