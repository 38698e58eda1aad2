from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language

from . import views, views_sysadmin
from .imports import views as import_views

app_name = "core"

urlpatterns = [
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/result/", views.job_result, name="job_result"),
    path("audit/", views.AuditLogView.as_view(), name="audit_log"),
    path("import/", import_views.import_start, name="import_start"),
    path("import/template/<str:kind>.xlsx", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_review, name="import_review"),
    path("import/<int:pk>/errors.xlsx", import_views.import_errors, name="import_errors"),
    path("users/<int:pk>/reset-2fa/", views.reset_two_factor, name="reset_two_factor"),
    path("password/", views_sysadmin.password_change, name="password_change"),  # every user's own
    path("finance/", views_sysadmin.finance_home, name="finance_home"),
]

auth_urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # The second step of signing in: after the password, before any other page (TwoFactorMiddleware).
    path("login/code/", views.two_factor_verify, name="two_factor_verify"),
    path("login/two-factor-setup/", views.two_factor_enrol, name="two_factor_enrol"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The login page offers the language switch, so it must work before logging in (this path
    # shadows the one of django.conf.urls.i18n, which LoginRequiredMiddleware would guard).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
