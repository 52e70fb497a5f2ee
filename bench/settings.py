"""Settings for benchmark runs only: the site's settings plus a floor view (bench.urls).

Never used in production: the floor URL exists only under this settings module.
"""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

ROOT_URLCONF = "bench.urls"
# No collectstatic step in a benchmark: plain static storage, same template work.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
