"""Settings for the test suite: development defaults unless the environment says otherwise.

pytest-django imports settings before any conftest.py runs, so the default has to live here.
"""

import os

os.environ.setdefault("DEBUG", "1")

from config.settings import *  # noqa: E402, F403
