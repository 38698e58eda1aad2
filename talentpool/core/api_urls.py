"""The one API root (``/api/``): a router of every viewset the apps registered
(core.registry.register_api), in the order they registered. Its root page lists them all."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .registry import api_routes


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for route in api_routes():
        router.register(route.prefix, route.viewset, basename=route.basename)
    return router


urlpatterns = [path("", include(build_router().urls))]
