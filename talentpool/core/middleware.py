from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from talentpool.rules.redaction import contains_personal_number

from .context import current_ip


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class PersonalNumberInUrlMiddleware:
    """Refuse (400) any request whose path or query string holds an ID number or a mobile number.

    A URL is written to access logs (gunicorn, nginx), browser history and Referer headers, where
    no one can take it back; the pages' search forms post such terms instead (registry.search).
    The refusal never repeats the number, and tells the user to use the search box: on an HTML
    page it links to the same page without its query string. What counts as a personal number is
    rules.redaction's (credit codes, certificate numbers, page and job numbers pass)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path_is_personal = contains_personal_number(request.path)
        params = [key for key, values in request.GET.lists() if any(map(contains_personal_number, [key, *values]))]
        if not (path_is_personal or params):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = _("Do not put an ID number or a mobile number in a URL: send it in the request body.")
            body = {key: [message] for key in params} if params and not path_is_personal else {"detail": message}
            response: HttpResponse = JsonResponse(body, status=400)
        else:
            context = {"clean_url": "" if path_is_personal else request.path}
            response = render(request, "core/personal_number_in_url.html", context, status=400)
        response["Cache-Control"] = "no-store"
        response["X-Frame-Options"] = "DENY"  # answered before XFrameOptionsMiddleware would add it
        response["Referrer-Policy"] = "no-referrer"  # a link followed from here must not send this URL
        return response
