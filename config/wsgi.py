"""
WSGI config for config project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# What loading made (modules, models, admin classes, URL patterns) lives as long as the process. Set apart
# from the garbage collector, it is no longer scanned by each of its full passes, which made the slowest
# requests slow (docs/benchmarks.md).
get_resolver().url_patterns  # noqa: B018 (the URL patterns loaded now, not by the first request)
gc.collect()
gc.freeze()
