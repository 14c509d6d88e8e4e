"""Views that belong to the deployment rather than to an app: the health check and the login lockout page."""

from django.conf import settings
from django.contrib import admin
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not; no session, no cookie."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login refused during a lockout: the admin's login page look, status 429."""
    context = {
        **admin.site.each_context(request),
        "title": admin.site.site_header,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "admin/login_locked.html", context, status=429)


def client_address(request) -> str:
    """The address django-axes counts failures for: the proxy's last X-Forwarded-For entry behind one."""
    if settings.BEHIND_PROXY:
        forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")
