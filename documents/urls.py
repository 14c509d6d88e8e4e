"""Public PDF downloads (the share link's programme is mounted by public.urls, under the link)."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("delegations/<slug:slug>/programme.pdf", views.programme_view, name="programme"),
    path(
        "organizations/<slug:slug>/agendas/<slug:visit>.pdf",
        views.organization_agenda_view,
        name="organization-agenda",
    ),
    path("invite/<str:token>/agenda.pdf", views.invitation_agenda_view, name="invitation-agenda"),
]
