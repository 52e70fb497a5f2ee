"""Deploy checks (`manage.py check --deploy`): production settings the background jobs need."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

NO_BROKER = Warning(
    "CELERY_BROKER_URL is not set: background jobs (Crossref and PubMed fetches, retraction "
    "checks, mail) run inside web requests, without retries, and nothing runs on a schedule.",
    hint="Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) for the web, worker and beat "
    "processes alike, and run a worker and beat (README, Deploy).",
    id="jobs.W001",
)
NO_SITE_URL = Warning(
    "SITE_URL is not set: mail sent by the worker (followers' notices and their unsubscribe "
    "links) has no request to take the site's address from and links to http://localhost:8000.",
    hint="Set SITE_URL to the public origin, e.g. https://claims.example.org.",
    id="jobs.W002",
)


@register(Tags.compatibility, deploy=True)
def check_background_settings(app_configs, **kwargs):
    warnings = []
    if not settings.CELERY_BROKER_URL:
        warnings.append(NO_BROKER)
    if not settings.SITE_URL:
        warnings.append(NO_SITE_URL)
    return warnings
