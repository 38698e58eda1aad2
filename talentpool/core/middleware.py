import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from talentpool.rules.redaction import contains_personal_number

from .context import current_ip

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:10.0.0.1 is 10.0.0.1
    return mapped or address


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or, when that is one of ``TRUSTED_PROXIES``, the
    right-most ``X-Forwarded-For`` hop that no trusted proxy added.

    Hops are read right to left because each proxy appends the address it saw: everything left of
    the first untrusted hop was written by the client and may be forged. A request that does not
    come from a trusted proxy keeps its ``REMOTE_ADDR``, whatever headers it sends. (ipware's
    ``proxy_trusted_ips`` checks the header's own trailing hops, never ``REMOTE_ADDR``, so a
    client reaching gunicorn directly could pass it; hence this function, which axes uses too:
    ``AXES_CLIENT_IP_CALLABLE``.)"""
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    proxies = _networks(tuple(settings.TRUSTED_PROXIES))
    if not any(remote in network for network in proxies):
        return str(remote)
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:  # an empty or garbled hop: stop at the last address a proxy vouched for
            break
        client = address
        if not any(address in network for network in proxies):
            break
    return str(client)


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
