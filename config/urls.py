from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.views import healthz

admin.site.site_header = _("Delegation visits")
admin.site.site_title = _("Delegation visits")
admin.site.index_title = _("Staff workspace")
# The index with a link to the follow-up desk (meetings.desk) for those who may see it.
admin.site.index_template = "admin/meetings/index.html"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/workbooks/", include("workbooks.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("public.urls")),
    path("", include("matchmaking.urls")),
    path("", include("documents.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
