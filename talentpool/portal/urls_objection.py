"""Placeholder filled by its owner."""

urlpatterns: list = []
