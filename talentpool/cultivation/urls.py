"""The cultivation app's pages, mounted at /cultivation/ (core.registry.register_urls)."""

from . import urls_competitions, urls_hub, urls_innovations, urls_mentorship, urls_studios, urls_training

app_name = "cultivation"

urlpatterns = [
    *urls_hub.urlpatterns,
    *urls_training.urlpatterns,
    *urls_competitions.urlpatterns,
    *urls_innovations.urlpatterns,
    *urls_mentorship.urlpatterns,
    *urls_studios.urlpatterns,
]
