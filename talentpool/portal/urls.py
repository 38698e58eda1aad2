"""The public pages (no sign-in): the notice and its objections, verification, the honour roll."""

from . import urls_objection, urls_public

app_name = "portal"

urlpatterns = [*urls_public.urlpatterns, *urls_objection.urlpatterns]
