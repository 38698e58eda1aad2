from django.urls import path

from . import views, views_reference

app_name = "registry"

urlpatterns = [
    path("workers/", views.WorkerListView.as_view(), name="worker_list"),
    path("workers/new/", views.worker_create, name="worker_create"),
    path("workers/<int:pk>/", views.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/edit/", views.worker_edit, name="worker_edit"),
    path("workers/<int:pk>/employer/", views.worker_change_employer, name="worker_change_employer"),
    path("workers/<int:pk>/leave/", views.worker_leave, name="worker_leave"),
    path("workers/<int:pk>/reveal/<str:field>/", views.reveal, name="worker_reveal"),
    path("workers/<int:pk>/certificates/new/", views.certificate_add, name="certificate_add"),
    path("workers/<int:pk>/honours/new/", views.honour_add, name="honour_add"),
    path("me/", views.my_profile, name="my_profile"),
    path("certificates/", views.CertificateListView.as_view(), name="certificate_list"),
    path("certificates/<int:pk>/delete/", views.certificate_delete, name="certificate_delete"),
    path("honours/", views.HonourListView.as_view(), name="honour_list"),
    path("honours/<int:pk>/delete/", views.honour_delete, name="honour_delete"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("my-enterprise/", views.enterprise_home, name="enterprise_home"),
    # the type-ahead pickers' searches (core.widgets.TypeaheadSelect)
    path("enterprises/search/", views_reference.enterprise_search, name="enterprise_search"),
    path("occupations/search/", views_reference.occupation_search, name="occupation_search"),
    # reference data (系统管理, admins only)
    path("reference/industries/", views_reference.industry_list, name="industry_list"),
    path("reference/industries/new/", views_reference.industry_create, name="industry_create"),
    path("reference/industries/<int:pk>/edit/", views_reference.industry_edit, name="industry_edit"),
    path("reference/industries/<int:pk>/delete/", views_reference.industry_delete, name="industry_delete"),
    path("reference/occupations/", views_reference.occupation_list, name="occupation_list"),
    path("reference/occupations/new/", views_reference.occupation_create, name="occupation_create"),
    path("reference/occupation-aliases/", views_reference.alias_list, name="alias_list"),
    path("reference/occupation-aliases/new/", views_reference.alias_create, name="alias_create"),
    path("reference/occupation-aliases/<int:pk>/delete/", views_reference.alias_delete, name="alias_delete"),
]
