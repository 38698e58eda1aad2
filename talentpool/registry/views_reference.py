"""Reference data: the admins' pages of 系统管理 (industries, occupations, aliases; anyone else
gets a 404) and the type-ahead searches every signed-in form uses (occupations, and the enterprises
the user may see). Changes go through registry.reference (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from talentpool.core.exceptions import ServiceError
from talentpool.core.pages import form_page, require_roles
from talentpool.core.roles import Action
from talentpool.rules.text import normalise_code, normalise_text

from . import reference
from .choices import OccupationLevel
from .forms import IndustryForm
from .forms_reference import AliasForm, OccupationForm
from .models import Enterprise, Industry, Occupation, OccupationAlias
from .occupations import SEARCH_LIMIT, matching_occupations, search_occupations

OCCUPATIONS_PER_PAGE = 50
FORM = "sysadmin/form.html"  # a page of 系统管理, with its side navigation


# Type-ahead searches --------------------------------------------------------------------------


def _occupation_hint(occupation: Occupation) -> str:
    if occupation.level == OccupationLevel.OCCUPATION:
        return occupation.code
    return f"{occupation.code} · {occupation.get_level_display()}"


@require_GET
def occupation_search(request: HttpRequest) -> JsonResponse:
    """``?q=车工`` (or ``chegong``, ``cg``, ``6-18``): at most 20 entries a worker's occupation may
    be, for core.widgets.TypeaheadSelect. Reference data: every signed-in user may read it."""
    occupations = search_occupations(request.GET.get("q", "")) if request.user.is_authenticated else []
    return JsonResponse({"results": [
        {"id": o.pk, "value": str(o), "label": o.name, "hint": _occupation_hint(o)} for o in occupations
    ]})


def search_enterprises(queryset: QuerySet[Enterprise], text: str, *, limit: int = SEARCH_LIMIT) -> list[Any]:
    """``(pk, name, industry)`` of at most ``limit`` enterprises of ``queryset`` whose name contains
    ``text`` or whose pinyin or initials do, or whose credit code starts with it; exact names first,
    then names starting so, then in pinyin order. One query."""
    query = normalise_text(text)
    if not query:
        return []
    if query.isascii():
        key = query.lower().replace(" ", "")
        matches = Q(name_search__contains=key) | Q(uscc__startswith=normalise_code(query))
        starts = Q(name_search__startswith=key) | Q(name_search__contains=" " + key)
        exact = Q(uscc=normalise_code(query)) | Q(name=query)
    else:
        key = query.replace(" ", "")
        matches = Q(name__contains=key)
        starts = Q(name__startswith=key)
        exact = Q(name=query)
    rank = Case(When(exact, then=Value(0)), When(starts, then=Value(1)), default=Value(2),
                output_field=IntegerField())
    found = queryset.filter(matches).annotate(rank=rank).order_by("rank", "name_sort", "name")
    return list(found.values_list("pk", "name", "industry__name")[:limit])


@require_GET
def enterprise_search(request: HttpRequest) -> JsonResponse:
    """``?q=久立`` (or ``jiuli``, ``jl``, a credit code): at most 20 of the enterprises the user may
    see (an operator: their own), name and industry only."""
    scope = Enterprise.objects.restrict(request.user, Action.VIEW)
    found = search_enterprises(scope, request.GET.get("q", ""))
    return JsonResponse({"results": [
        {"id": pk, "value": name, "label": name, "hint": industry} for pk, name, industry in found
    ]})


# Industries -----------------------------------------------------------------------------------


def industry_list(request: HttpRequest) -> HttpResponse:
    require_roles(request)  # admins only
    industries = Industry.objects.annotate(enterprise_count=Count("enterprises")).order_by("sort_order", "name")
    return render(request, "registry/reference/industry_list.html", {"industries": industries})


def _add_page(request: HttpRequest, form: Any, *, title: str, create: Any, added: str, list_url: str) -> HttpResponse:
    """The page adding a record of 系统管理: ``create(actor=…, **data)`` (a reference service), then
    back to ``list_url`` saying ``added`` (a message with the form's ``%(name)s``)."""
    require_roles(request)  # admins only
    user: Any = request.user

    def save(data: dict[str, Any]) -> str:
        create(actor=user, **data)
        return reverse(list_url)

    return form_page(request, form, title=title, save=save, success=lambda _target: added % form.cleaned_data,
                     cancel_url=reverse(list_url), template_name=FORM)


def industry_create(request: HttpRequest) -> HttpResponse:
    return _add_page(request, IndustryForm(request.POST or None), title=_("Add an industry"),
                     create=reference.create_industry, added=_("Industry %(name)s added."),
                     list_url="registry:industry_list")


def _industry(pk: int) -> Industry:
    try:
        return Industry.objects.get(pk=pk)
    except Industry.DoesNotExist as exc:
        raise Http404 from exc


def industry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    industry = _industry(pk)
    user: Any = request.user

    def save(data: dict[str, Any]) -> str:
        reference.update_industry(industry, actor=user, **data)
        return reverse("registry:industry_list")

    return form_page(request, IndustryForm(request.POST or None, instance=_industry(pk)),
                     title=_("Edit %(name)s") % {"name": industry.name}, save=save,
                     success=lambda _target: _("Changes saved."), cancel_url=reverse("registry:industry_list"),
                     template_name=FORM)


@require_POST
def industry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    industry = _industry(pk)
    try:
        reference.delete_industry(industry, actor=request.user)  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Industry %(name)s deleted.") % {"name": industry.name})
    return redirect("registry:industry_list")


# Occupations ----------------------------------------------------------------------------------


def occupation_list(request: HttpRequest) -> HttpResponse:
    """The classification as loaded, searchable like the picker (name, alias, pinyin, initials,
    code), 50 a page, each with its aliases."""
    require_roles(request)
    query = request.GET.get("q", "").strip()
    occupations = (matching_occupations(query).select_related("parent")
                   .prefetch_related(Prefetch("aliases", queryset=OccupationAlias.objects.order_by("name_sort"))))
    page = Paginator(occupations, OCCUPATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "registry/reference/occupation_list.html", {"page": page, "q": query})


def occupation_create(request: HttpRequest) -> HttpResponse:
    require_roles(request)
    user: Any = request.user
    initial = {}
    group = Occupation.objects.filter(code=request.GET.get("parent", ""), level=OccupationLevel.SMALL).first()
    if group is not None:
        initial = {"parent": group.pk, "code": f"{group.code}-"}

    def save(data: dict[str, Any]) -> str:
        occupation = reference.create_occupation(actor=user, **data)
        return f"{reverse('registry:occupation_list')}?q={occupation.code}"

    form = OccupationForm(request.POST or None, initial=initial)
    return form_page(request, form, title=_("Add an occupation"), save=save,
                     success=lambda _target: _("Occupation %(code)s %(name)s added.") % {
                         "code": form.cleaned_data["code"], "name": form.cleaned_data["name"]},
                     cancel_url=reverse("registry:occupation_list"), template_name=FORM)


# Aliases --------------------------------------------------------------------------------------


def alias_list(request: HttpRequest) -> HttpResponse:
    require_roles(request)
    aliases = OccupationAlias.objects.select_related("occupation").order_by("name_sort", "name")
    return render(request, "registry/reference/alias_list.html", {"aliases": aliases})


def alias_create(request: HttpRequest) -> HttpResponse:
    return _add_page(request, AliasForm(request.POST or None), title=_("Add an occupation alias"),
                     create=reference.create_alias, added=_("Alias %(name)s added."), list_url="registry:alias_list")


@require_POST
def alias_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    alias = OccupationAlias.objects.select_related("occupation").filter(pk=pk).first()
    if alias is None:
        raise Http404
    reference.delete_alias(alias, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Alias %(name)s deleted.") % {"name": alias.name})
    return redirect("registry:alias_list")
