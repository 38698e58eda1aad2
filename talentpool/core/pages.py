"""What every app's pages share: the role check and the form page backed by a service.

``require_roles(request, *roles)``: admins always pass, the roles named pass, anyone else gets a
404 (out of scope is not found, never "forbidden"). ``form_page``: a form whose valid POST calls a
service, shows its refusal on the form, and redirects on success (core/form.html)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .exceptions import EditConflict, ServiceError


def require_roles(request: HttpRequest, *roles: str) -> None:
    """404 unless the user is an admin or acts in one of ``roles`` (none named: admins only)."""
    user: Any = request.user
    if not (user.is_authenticated and (user.is_admin or user.role in roles)):
        raise Http404


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    cancel_url: str | None = None,
    template_name: str = "core/form.html",
    **extra: Any,
) -> HttpResponse:
    """A form backed by a service: on a valid POST call ``save`` (a service) and redirect to what
    it returns (a model with ``get_absolute_url``, a URL or a URL name); a refusal (ServiceError, or
    a rule's ValueError) is shown on the form, which keeps every value typed. An edit form opened on
    an older version of its record (``current``: the record as saved now; the form has
    ``is_stale`` and ``show_conflict``, see registry.forms.VersionedFormMixin) shows what changed
    meanwhile instead of saving (EditConflict). ``extra`` goes to the template: ``datalist`` (a
    list of suggestions) with ``datalist_id`` (the id the field's ``list`` attribute names)."""
    current = extra.pop("current", None)
    refusal_link = None  # (url, label) of the record a refusal points to (ServiceError.link)
    if request.method == "POST" and current is not None and form.is_stale(current):
        form.show_conflict(current, str(EditConflict(current)))
    elif request.method == "POST" and form.is_valid():
        try:
            target = save(dict(form.cleaned_data))
        except EditConflict as exc:
            form.show_conflict(exc.current, str(exc))
        except (ServiceError, ValueError) as exc:
            form.add_error(None, str(exc))
            refusal_link = getattr(exc, "link", None)
        else:
            messages.success(request, success(target))
            return redirect(target)
    context = {"form": form, "title": title, "cancel_url": cancel_url, "refusal_link": refusal_link, **extra}
    return render(request, template_name, context)
