from django.urls import path

from delegations.sharing import shared_visit

from . import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="list"),
    path("meetings/export.csv", views.export_csv_view, name="export-csv"),
    path("organizations/<slug:slug>/meetings/", views.OrganizationAgendaView.as_view(), name="organization-agenda"),
    path("delegations/<slug:slug>/calendar.ics", views.delegation_calendar_view, name="delegation-calendar"),
    path("organizations/<slug:slug>/calendar.ics", views.organization_calendar_view, name="organization-calendar"),
    path("share/<str:token>/meetings/", shared_visit(views.SharedMeetingListView.as_view()), name="shared-list"),
    path("share/<str:token>/meetings/export.csv", shared_visit(views.shared_export_csv_view), name="shared-export-csv"),
    path("share/<str:token>/calendar.ics", shared_visit(views.shared_calendar_view), name="shared-calendar"),
]
