"""Pages of the cultivation app: "五小" innovations."""

from django.urls import path

from . import views_innovations as views

urlpatterns = [
    path("innovations/", views.InnovationListView.as_view(), name="innovation_list"),
    path("innovations/new/", views.innovation_create, name="innovation_create"),
    path("innovations/workers/", views.worker_search, name="innovation_worker_search"),
    path("innovations/<int:pk>/", views.innovation_detail, name="innovation_detail"),
    path("innovations/<int:pk>/edit/", views.innovation_edit, name="innovation_edit"),
    path("innovations/<int:pk>/workers/", views.innovation_worker_search, name="innovation_team_search"),
    path("innovations/<int:pk>/evaluate/", views.innovation_evaluate, name="innovation_evaluate"),
    path("innovations/<int:pk>/commend/", views.innovation_commend, name="innovation_commend"),
    path("innovations/<int:pk>/not-commended/", views.innovation_not_commended, name="innovation_not_commended"),
    path("innovations/<int:pk>/delete/", views.innovation_delete, name="innovation_delete"),
]
