# The Celery app is loaded with Django, so that `@shared_task` tasks bind to it (config/celery.py).
from .celery import app as celery_app

__all__ = ("celery_app",)
