"""The Celery app: background work (agenda e-mails, Schedule all's solve) run by `celery -A config worker`.

Tasks live in each app's `tasks.py` and are found by autodiscovery. Without a broker (CELERY_BROKER_URL
unset: development on SQLite, the default test run) settings make every task run at once in the calling
process, so that nothing else has to run."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
