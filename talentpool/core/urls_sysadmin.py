"""系统管理: the admin's pages, mounted at /system/ (talentpool/urls.py)."""

from django.urls import path

from . import views_sysadmin as views

app_name = "sysadmin"

urlpatterns = [
    path("", views.index, name="index"),
    path("accounts/", views.AccountListView.as_view(), name="account_list"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/worker-choices/", views.account_worker_choices, name="account_worker_choices"),
    path("accounts/<int:pk>/", views.account_edit, name="account_edit"),
    path("accounts/<int:pk>/password/", views.account_password, name="account_password"),
    path("accounts/<int:pk>/active/", views.account_active, name="account_active"),
    path("sessions/", views.SessionListView.as_view(), name="session_list"),
    path("sessions/<int:pk>/sign-out/", views.session_sign_out, name="session_sign_out"),
    path("login-log/", views.LoginLogView.as_view(), name="login_log"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/new/", views.calendar_add, name="calendar_add"),
    path("calendar/<int:pk>/", views.calendar_edit, name="calendar_edit"),
    path("calendar/<int:pk>/delete/", views.calendar_delete, name="calendar_delete"),
    path("calendar/year/<int:year>/", views.calendar_year, name="calendar_year"),
    path("settings/", views.settings_page, name="settings"),
]
