"""The addresses invited companies reach through their link."""

from django.urls import path

from .views import agenda_ics, registration_view

app_name = "matchmaking"

urlpatterns = [
    path("invite/<str:token>/", registration_view, name="registration"),
    path("invite/<str:token>/agenda.ics", agenda_ics, name="agenda-ics"),
]
