from django.urls import path

from . import urls_objection, urls_ranking, urls_review, views

app_name = "selection"

urlpatterns = [
    path("", views.home, name="home"),
    path("workers/search/", views.worker_search, name="worker_search"),
    path("<int:year>/", views.campaign_page, name="campaign"),
    path("<int:year>/advance/", views.advance, name="advance"),
    path("<int:year>/settings/", views.settings_page, name="settings"),
    path("<int:year>/nominations/", views.NominationListView.as_view(), name="nominations"),
    path("<int:year>/nominations/new/", views.nomination_create, name="nomination_create"),
    path("<int:year>/qualification/", views.qualification_page, name="qualification"),
    path("<int:year>/qualification/run/", views.qualification_run, name="qualification_run"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/submit/", views.nomination_submit, name="nomination_submit"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("nominations/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("results/<int:pk>/override/", views.result_override, name="override"),
    # the expert review (assignments, reviews, progress), the ranking and naming, the objections
    *urls_review.urlpatterns,
    *urls_ranking.urlpatterns,
    *urls_objection.urlpatterns,
]
