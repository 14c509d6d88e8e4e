"""
WSGI config for config project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Django and the project, loaded above, live as long as the worker: frozen (once what loading left is collected),
# they are never walked again by the garbage collector, whose full collections (every few requests of a long
# page) walked every one of them.
gc.collect()
gc.freeze()
