from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="list"),
    path("meetings/export.csv", views.export_csv_view, name="export-csv"),
    path("organizations/<slug:slug>/meetings/", views.OrganizationAgendaView.as_view(), name="organization-agenda"),
    path("delegations/<slug:slug>/calendar.ics", views.delegation_calendar_view, name="delegation-calendar"),
    path("organizations/<slug:slug>/calendar.ics", views.organization_calendar_view, name="organization-calendar"),
]
