"""Pages of the titles app (称号), mounted at /titles/ (declarations.py)."""

from django.urls import path

from . import views

app_name = "titles"

urlpatterns = [
    path("", views.TitleListView.as_view(), name="title_list"),
    path("<int:pk>/", views.title_detail, name="title_detail"),
    path("<int:pk>/status/", views.title_status, name="title_status"),
    path("tiers/", views.tier_list, name="tier_list"),
    path("tiers/allowance/", views.allowance_set, name="tier_allowance"),
]
