from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView

from talentpool.core import security
from talentpool.core import views as core_views
from talentpool.core.api import NotFoundView
from talentpool.core.registry import url_mounts
from talentpool.core.urls import auth_urlpatterns

urlpatterns = [
    path("", core_views.home, name="home"),
    *auth_urlpatterns,
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("core/", include("talentpool.core.urls")),
    # every app's pages (core.registry.register_urls: registry/, …)
    *[path(mount.prefix, include(mount.urlconf)) for mount in url_mounts()],
    path("system/", include("talentpool.core.urls_sysadmin")),  # 系统管理, admins only
    path("api/", include("talentpool.core.api_urls")),  # every app's routes (core.registry.register_api)
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", security.api_docs, name="api-docs"),  # their own Content-Security-Policy
    path("api/redoc/", security.api_redoc, name="api-redoc"),
    re_path(r"^api/.*/$", NotFoundView.as_view()),  # after every API route: the rest is a JSON 404
    path("django-admin/", admin.site.urls),
]

handler403 = "talentpool.core.views.permission_denied_as_404"
