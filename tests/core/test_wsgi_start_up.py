"""The WSGI entry point freezes what start-up made out of the garbage collector's generations
(config/wsgi.py): a big cold page's full collections then walk only what the request made."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_start_up_objects_are_frozen_out_of_the_collector():
    code = "import gc, config.wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert int(out.stdout) > 10_000  # Django, the apps and their models, not a handful
