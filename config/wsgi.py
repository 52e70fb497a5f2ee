import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
# What start-up made (modules, models, the admin) lives as long as the process: frozen out of
# the collector's generations, so the full collections a big page's allocations set off do not
# walk it again (issue 20: ~40 ms of a 5,000-link claim's cold render, docs/performance.md).
gc.freeze()
