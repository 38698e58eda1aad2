"""Pages of the cultivation app: competitions (岗位练兵, 职工技能运动会)."""

from django.urls import URLPattern, path

from . import views_competitions as views

urlpatterns: list[URLPattern] = [
    path("competitions/", views.CompetitionListView.as_view(), name="competition_list"),
    path("competitions/new/", views.competition_create, name="competition_create"),
    path("competitions/<int:pk>/", views.competition_detail, name="competition_detail"),
    path("competitions/<int:pk>/edit/", views.competition_edit, name="competition_edit"),
    path("competitions/<int:pk>/events/new/", views.event_add, name="competition_event_add"),
    path("competitions/events/<int:pk>/", views.event_detail, name="competition_event_detail"),
    path("competitions/events/<int:pk>/edit/", views.event_edit, name="competition_event_edit"),
    path("competitions/events/<int:pk>/enter/", views.event_enter, name="competition_event_enter"),
    path("competitions/events/<int:pk>/results/", views.event_results, name="competition_event_results"),
    path("competitions/entries/", views.EntryListView.as_view(), name="competition_entry_list"),
    path("competitions/entries/<int:pk>/withdraw/", views.entry_withdraw, name="competition_entry_withdraw"),
    path("competitions/promotions/", views.ProposalListView.as_view(), name="promotion_list"),
    path("competitions/promotions/<int:pk>/confirm/", views.proposal_confirm, name="promotion_confirm"),
    path("competitions/promotions/<int:pk>/refuse/", views.proposal_refuse, name="promotion_refuse"),
    path("competitions/rules/", views.rule_list, name="promotion_rule_list"),
    path("competitions/rules/new/", views.rule_create, name="promotion_rule_create"),
    path("competitions/rules/<int:pk>/edit/", views.rule_edit, name="promotion_rule_edit"),
    path("competitions/rules/<int:pk>/delete/", views.rule_delete, name="promotion_rule_delete"),
]
