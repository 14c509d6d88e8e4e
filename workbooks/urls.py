from django.contrib import admin
from django.urls import path

from . import views

app_name = "workbooks"

urlpatterns = [
    path("visit/<int:pk>/", admin.site.admin_view(views.visit_download), name="visit-download"),
    path("template/", admin.site.admin_view(views.template_download), name="template-download"),
    path("upload/", admin.site.admin_view(views.upload), name="upload"),
    path("preview/", admin.site.admin_view(views.preview), name="preview"),
    path("confirm/", admin.site.admin_view(views.confirm), name="confirm"),
]
