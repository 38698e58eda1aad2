"""Pages of the cultivation app: mentorship."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
