"""bench/load.py prepares its site in a temporary directory: its database and the files
collectstatic writes stay out of the checkout (STATIC_ROOT from the environment)."""

import subprocess
import sys
from pathlib import Path

from bench.load import ROOT, site_env


def test_it_collects_static_files_into_the_load_tests_own_directory(tmp_path):
    env = site_env(tmp_path)
    assert Path(env["STATIC_ROOT"]).parent == tmp_path
    assert not Path(env["STATIC_ROOT"]).is_relative_to(ROOT)
    shown = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.STATIC_ROOT)"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == env["STATIC_ROOT"]
