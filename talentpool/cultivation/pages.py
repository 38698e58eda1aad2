"""What the cultivation app's pages share: running a POSTed service action, and the worker
type-ahead of its forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.registry.search import is_id_number


def post_action(request: HttpRequest, action: Callable[[], Any], success: str, target: str) -> HttpResponse:
    """Run a POSTed service action: its refusal is a message, out of scope a 404."""
    try:
        action()
    except OutOfScope as exc:
        raise Http404 from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(target)


def worker_choices(request: HttpRequest, workers: QuerySet[Any]) -> JsonResponse:
    """At most 20 of ``workers`` matching ``?q=`` (name, pinyin, initials): name, masked ID number
    and enterprise. Never by ID number, nor by six digits or more of one (an oracle: the
    registry's audited search is the only one)."""
    text = request.GET.get("q", "").strip()[:50]
    if not text or is_id_number(text) or sum(c.isdigit() for c in text) >= 6:
        return JsonResponse({"results": []})
    found = (
        workers.search(text)  # type: ignore[attr-defined]
        .order_by("name_sort", "pk")
        .values_list("pk", "name", "id_number_masked", "current_enterprise__name")[:20]
    )
    return JsonResponse(
        {
            "results": [
                {"id": pk, "value": name, "label": name, "hint": f"{masked} {enterprise or ''}".strip()}
                for pk, name, masked, enterprise in found
            ]
        }
    )
