"""Pages of the cultivation app: its start page."""

from django.urls import path

from . import views_hub

urlpatterns = [
    path("", views_hub.home, name="home"),
]
