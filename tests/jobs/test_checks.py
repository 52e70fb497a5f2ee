"""`manage.py check --deploy` warns about production settings the background jobs need."""

from jobs.checks import check_background_settings


def ids(settings_warnings) -> set:
    return {warning.id for warning in settings_warnings}


def test_it_warns_without_a_broker_or_a_site_url(settings):
    settings.CELERY_BROKER_URL, settings.SITE_URL = "", ""
    assert ids(check_background_settings(None)) == {"jobs.W001", "jobs.W002"}


def test_it_is_quiet_when_both_are_set(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    settings.SITE_URL = "https://claims.example.org"
    assert check_background_settings(None) == []
