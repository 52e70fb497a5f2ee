import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from studies import crossref as client
from studies.doi import INVALID_DOI_MESSAGE
from studies.models import Study
from studies.services import DEFAULT_DESIGN
from tests import crossref_server as server
from tests.factories import make_study

pytestmark = pytest.mark.django_db

REFALO = "10.1080/02640414.2024.2321021"
ROOT = Path(__file__).resolve().parents[2]


def run(*dois):
    out, err = StringIO(), StringIO()
    call_command("import_doi", *dois, stdout=out, stderr=err)
    return out.getvalue()


def test_it_creates_a_study_from_crossref_with_the_default_design(crossref):
    output = run(f"https://doi.org/{REFALO.upper()}")
    study = Study.objects.get(doi=REFALO)
    assert study.title.startswith("Similar muscle hypertrophy")
    assert study.authors.startswith("Refalo, Martin C.; Helms, Eric R.")
    assert study.journal == "Journal of Sports Sciences"
    assert study.year == 2024
    assert study.design == DEFAULT_DESIGN
    assert study.sample_size is None
    assert f"Created {REFALO}" in output
    assert "Check the design" in output


def test_it_updates_bibliographic_fields_and_keeps_the_editors_judgement(crossref):
    study = make_study(doi=REFALO, title="Old title", design="rct", sample_size=18, authors="X")
    output = run(REFALO)
    study.refresh_from_db()
    assert study.title.startswith("Similar muscle hypertrophy")
    assert study.authors.startswith("Refalo")
    assert (study.design, study.sample_size) == ("rct", 18)
    assert f"Updated {REFALO}" in output


def test_it_keeps_existing_values_crossref_does_not_have(crossref):
    study = make_study(doi="10.70252/ijes2026403", authors="Known, Author", abstract="Kept.")
    run("10.70252/ijes2026403")
    study.refresh_from_db()
    assert (study.authors, study.abstract) == ("Known, Author", "Kept.")
    assert study.journal == "International Journal of Exercise Science"


@pytest.mark.parametrize(
    ("doi", "message"),
    [
        ("not a doi", f"not a doi: {INVALID_DOI_MESSAGE}"),
        ("10.5555/unknown", client.NOT_FOUND_MESSAGE.format(doi="10.5555/unknown")),
        (server.MALFORMED_DOI, client.MALFORMED_MESSAGE.format(doi=server.MALFORMED_DOI)),
        (
            server.SERVER_ERROR_DOI,
            client.HTTP_ERROR_MESSAGE.format(status=503, doi=server.SERVER_ERROR_DOI),
        ),
    ],
)
def test_it_fails_with_one_line_and_changes_nothing(crossref, doi, message):
    existing = make_study(doi="10.5555/malformed", title="Untouched")
    with pytest.raises(CommandError) as error:
        run(doi)
    assert str(error.value) == message
    assert "\n" not in str(error.value)
    assert list(Study.objects.values_list("pk", "title")) == [(existing.pk, "Untouched")]


def test_it_fails_clearly_on_a_timeout(crossref, settings):
    settings.CROSSREF_TIMEOUT = 0.3
    with pytest.raises(CommandError) as error:
        run(server.SLOW_DOI)
    assert str(error.value) == client.TIMEOUT_MESSAGE.format(doi=server.SLOW_DOI, timeout=0.3)
    assert not Study.objects.exists()


def test_it_imports_the_good_dois_and_lists_one_line_per_bad_one(crossref):
    with pytest.raises(CommandError) as error:
        run(REFALO, "10.5555/unknown", "10.1249/MSS.0000000000003728")
    assert str(error.value) == client.NOT_FOUND_MESSAGE.format(doi="10.5555/unknown")
    assert set(Study.objects.values_list("doi", flat=True)) == {
        REFALO,
        "10.1249/mss.0000000000003728",
    }


def test_it_exits_non_zero_with_one_line_on_stderr(crossref, tmp_path):
    # A real process: the exit status and stderr as a shell sees them. An unknown DOI
    # fails before any database query, so the process needs no test database.
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "CROSSREF_API_URL": crossref.url,
        "CROSSREF_TIMEOUT": "5",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "import_doi", "10.5555/unknown"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == ["CommandError: " + client.NOT_FOUND_MESSAGE.format(doi="10.5555/unknown")]
