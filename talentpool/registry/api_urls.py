from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("enterprises", api.EnterpriseViewSet, basename="enterprise")
router.register("workers", api.WorkerViewSet, basename="worker")
router.register("certificates", api.CertificateViewSet, basename="certificate")
router.register("honours", api.HonourViewSet, basename="honour")
router.register("industries", api.IndustryViewSet, basename="industry")

urlpatterns = [path("", include(router.urls))]
