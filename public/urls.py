"""Every public address: the visits, the directory of organizations and people, the meeting lists with
their CSV, the calendar feeds, the results across visits with their CSV, and the same pages of one visit
under a share link."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from documents.views import shared_programme_view

from .sharing import shared_visit
from .sitemaps import SITEMAPS
from .views import directory, meetings, results, visits

app_name = "public"

urlpatterns = [
    path("", visits.HomeView.as_view(), name="home"),
    path("delegations/", visits.DelegationListView.as_view(), name="visit-list"),
    path("delegations/<slug:slug>/", visits.DelegationDetailView.as_view(), name="visit-detail"),
    path("delegations/<slug:slug>/outcomes/", visits.DelegationOutcomesView.as_view(), name="visit-outcomes"),
    path("delegations/<slug:slug>/calendar.ics", meetings.delegation_calendar_view, name="visit-calendar"),
    path("organizations/", directory.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/<slug:slug>/", directory.OrganizationDetailView.as_view(), name="organization-detail"),
    path(
        "organizations/<slug:slug>/meetings/",
        meetings.OrganizationAgendaView.as_view(),
        name="organization-agenda",
    ),
    path("organizations/<slug:slug>/calendar.ics", meetings.organization_calendar_view, name="organization-calendar"),
    path("people/<slug:slug>/", directory.PersonDetailView.as_view(), name="person-detail"),
    path("search/", directory.SearchView.as_view(), name="search"),
    path("results/", results.ResultsView.as_view(), name="results"),
    path("results/<slug:table>.csv", results.results_csv_view, name="results-csv"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "public:sitemap"},
        name="sitemap-index",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("meetings/", meetings.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/export.csv", meetings.export_csv_view, name="meeting-export-csv"),
    path("share/<str:token>/", shared_visit(visits.DelegationDetailView.as_view()), name="shared-visit-detail"),
    path(
        "share/<str:token>/outcomes/",
        shared_visit(visits.DelegationOutcomesView.as_view()),
        name="shared-visit-outcomes",
    ),
    path(
        "share/<str:token>/meetings/",
        shared_visit(meetings.SharedMeetingListView.as_view()),
        name="shared-meeting-list",
    ),
    path(
        "share/<str:token>/meetings/export.csv",
        shared_visit(meetings.shared_export_csv_view),
        name="shared-meeting-export-csv",
    ),
    path("share/<str:token>/calendar.ics", shared_visit(meetings.shared_calendar_view), name="shared-visit-calendar"),
    path("share/<str:token>/programme.pdf", shared_visit(shared_programme_view), name="shared-visit-programme"),
]
