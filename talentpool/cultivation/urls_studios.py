"""Pages of the cultivation app: studios."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
