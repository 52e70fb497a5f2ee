"""The Celery app. Tasks live beside their domain (`<app>/tasks.py`) as @shared_task; settings
are the CELERY_* names in config/settings.py. Worker: `celery -A config worker`; periodic
work: `celery -A config beat` (the schedule is CELERY_BEAT_SCHEDULE in settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's tasks.py, and the studies app's task modules kept beside the work they run.
app.autodiscover_tasks()
app.autodiscover_tasks(related_name="retraction_tasks")
app.autodiscover_tasks(related_name="import_tasks")
