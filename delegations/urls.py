from django.urls import path

from . import views
from .sharing import shared_visit

app_name = "delegations"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("delegations/", views.DelegationListView.as_view(), name="list"),
    path("delegations/<slug:slug>/", views.DelegationDetailView.as_view(), name="detail"),
    path("delegations/<slug:slug>/outcomes/", views.DelegationOutcomesView.as_view(), name="outcomes"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("share/<str:token>/", shared_visit(views.DelegationDetailView.as_view()), name="shared-detail"),
    path("share/<str:token>/outcomes/", shared_visit(views.DelegationOutcomesView.as_view()), name="shared-outcomes"),
]
