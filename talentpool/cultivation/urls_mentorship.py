"""Pages of the cultivation app: mentorship (师徒结对)."""

from django.urls import path

from . import views_mentorship as views

urlpatterns = [
    path("mentorship/", views.MentorshipListView.as_view(), name="mentorship_list"),
    path("mentorship/new/", views.mentorship_create, name="mentorship_create"),
    path("mentorship/workers/", views.worker_search, name="mentorship_worker_search"),
    path("mentorship/<int:pk>/", views.mentorship_detail, name="mentorship_detail"),
    path("mentorship/<int:pk>/edit/", views.mentorship_edit, name="mentorship_edit"),
    path("mentorship/<int:pk>/complete/", views.mentorship_complete, name="mentorship_complete"),
    path("mentorship/<int:pk>/end/", views.mentorship_end, name="mentorship_end"),
    path("mentorship/<int:pk>/delete/", views.mentorship_delete, name="mentorship_delete"),
]
