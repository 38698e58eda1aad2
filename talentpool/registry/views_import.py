"""Excel import pages (filled in by the import work)."""
from django.http import Http404, HttpRequest, HttpResponse


def import_start(request: HttpRequest) -> HttpResponse:
    raise Http404


def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    raise Http404


def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
