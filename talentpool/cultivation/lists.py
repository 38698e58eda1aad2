"""What the cultivation app's lists share beyond core's RestrictedListView."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from talentpool.core.roles import Role


def is_worker(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.WORKER and not user.is_admin)


class NoWorkerExportMixin:
    """A list a worker may open to see their own rows, but never export (404, and no export link)."""

    request: HttpRequest

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") and is_worker(request.user):
            raise Http404
        return super().get(request, *args, **kwargs)  # type: ignore[misc, no-any-return]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        if is_worker(self.request.user):
            context["export_url"] = ""
        return context
