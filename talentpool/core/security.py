"""HTTP headers for pages that hold personal data, and the relaxed policy of the API docs.

The Content-Security-Policy itself comes from django-csp (settings.CONTENT_SECURITY_POLICY): no
inline script or style anywhere, so an injected ``<script>`` or ``onclick=`` does not run. The
site's own behaviour lives in static files (static/talentpool/site.js).
"""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class NoStoreMiddleware:
    """Every response to a signed-in user carries ``Cache-Control: no-store`` (pages, htmx
    fragments, exports, API answers): no browser, shared computer or proxy keeps a copy of
    workers' ID numbers and phones after the session ends. Static files are served above this
    middleware (whitenoise) and keep their long cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self.static_prefix):
            add_never_cache_headers(response)  # no-store, no-cache, must-revalidate, private, max-age=0
        return response


# The API docs pages (drf-spectacular, assets from the sidecar package): Swagger UI's start-up
# script is served as a file by the split view, but its page and Redoc's carry inline <style>
# (Redoc injects its styles at run time) and Redoc starts its search in a blob: worker. Only these
# two URLs get that; they show the schema, no personal data.
DOCS_POLICY = {"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}

api_docs = csp_replace(DOCS_POLICY)(SpectacularSwaggerSplitView.as_view(url_name="schema"))
api_redoc = csp_replace(DOCS_POLICY)(SpectacularRedocView.as_view(url_name="schema"))
