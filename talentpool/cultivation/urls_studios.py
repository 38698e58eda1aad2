"""Pages of the cultivation app: innovation studios (创新工作室)."""

from django.urls import path

from . import views_studios as views

urlpatterns = [
    path("studios/", views.StudioListView.as_view(), name="studio_list"),
    path("studios/new/", views.studio_create, name="studio_create"),
    path("studios/workers/", views.worker_search, name="studio_worker_search"),
    path("studios/<int:pk>/", views.studio_detail, name="studio_detail"),
    path("studios/<int:pk>/edit/", views.studio_edit, name="studio_edit"),
    path("studios/<int:pk>/close/", views.studio_close, name="studio_close"),
    path("studios/<int:pk>/reopen/", views.studio_reopen, name="studio_reopen"),
    path("studios/<int:pk>/delete/", views.studio_delete, name="studio_delete"),
    path("studios/<int:pk>/workers/", views.studio_worker_search, name="studio_enterprise_worker_search"),
    path("studios/<int:pk>/members/new/", views.member_add, name="studio_member_add"),
    path("studios/<int:pk>/members/<int:member_pk>/leave/", views.member_leave, name="studio_member_leave"),
    path("studios/<int:pk>/results/new/", views.result_create, name="studio_result_create"),
    path("studios/<int:pk>/results/<int:result_pk>/edit/", views.result_edit, name="studio_result_edit"),
    path("studios/<int:pk>/results/<int:result_pk>/delete/", views.result_delete, name="studio_result_delete"),
]
