"""manage.py check_retractions, against the local Crossref server (tests/retraction_server.py)."""

from datetime import timedelta
from io import StringIO
from urllib.parse import unquote

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from studies.models import Study
from studies.retraction_watch import NOT_FOUND_MESSAGE
from tests.factories import make_study
from tests.retraction_server import (
    MEHRA_NEJM,
    WAKEFIELD,
    WAKEFIELD_NOTICE,
)


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("check_retractions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_one_line_per_change_and_a_summary(retractions, db):
    make_study(doi=WAKEFIELD, title="Wakefield")
    make_study(doi=MEHRA_NEJM, title="Mehra")
    make_study(doi=WAKEFIELD_NOTICE, title="The notice")  # nothing to change
    out, err = run()
    assert out.splitlines() == [
        f"changed {WAKEFIELD}: Not retracted → Retracted (notice {WAKEFIELD_NOTICE})",
        f"changed {MEHRA_NEJM}: Not retracted → Expression of concern "
        "(notice 10.1056/nejme2020822)",
        "Checked 3 study(ies): 2 changed, 0 kept, 0 failed.",
    ]
    assert err == ""
    assert Study.objects.get(doi=WAKEFIELD).retraction_status == "retracted"


def test_a_failure_is_reported_and_the_rest_go_on(retractions, db):
    make_study(doi="10.5555/unknown", title="Unknown")
    make_study(doi=WAKEFIELD, title="Wakefield")
    out, err = run()
    assert (
        err.strip() == f"failed 10.5555/unknown: {NOT_FOUND_MESSAGE.format(doi='10.5555/unknown')}"
    )
    assert f"changed {WAKEFIELD}" in out
    assert out.splitlines()[-1] == "Checked 1 study(ies): 1 changed, 0 kept, 1 failed."


def test_it_fails_with_one_line_when_every_fetch_failed(retractions, db):
    make_study(doi="10.5555/unknown", title="Unknown")
    retractions.fail(WAKEFIELD, 503, retry_after=30)
    make_study(doi=WAKEFIELD, title="Wakefield")
    with pytest.raises(CommandError) as error:
        run()
    assert "\n" not in str(error.value)
    assert str(error.value).startswith("Every Crossref request failed (2)")
    assert Study.objects.get(doi=WAKEFIELD).retraction_status == "none"


def test_a_timeout_is_a_failure_not_a_hang(retractions, settings, db):
    settings.CROSSREF_API_URL = "http://127.0.0.1:9"  # nothing listens there
    make_study(doi=WAKEFIELD)
    with pytest.raises(CommandError, match="Could not ask Crossref about DOI"):
        run()


def test_only_due_studies_by_default_oldest_check_first(retractions, db):
    now = timezone.now()
    fresh = make_study(doi=MEHRA_NEJM, title="Checked yesterday")
    stale = make_study(doi=WAKEFIELD, title="Checked last month")
    never = make_study(doi=WAKEFIELD_NOTICE, title="Never checked")
    Study.objects.filter(pk=fresh.pk).update(retraction_checked_at=now - timedelta(days=1))
    Study.objects.filter(pk=stale.pk).update(retraction_checked_at=now - timedelta(days=30))
    out, _ = run()
    asked = [unquote(r["path"]) for r in retractions.requests]
    assert asked == [f"/works/{never.doi}", f"/works/{stale.doi}"]
    assert out.splitlines()[-1].startswith("Checked 2 study(ies)")
    run("--all")
    assert len(retractions.requests) == 5


def test_nothing_due_says_so(retractions, db):
    make_study(doi="")
    out, _ = run()
    assert out.strip() == "No study is due for a retraction check."
    assert retractions.requests == []


def test_doi_checks_those_studies_even_if_fresh(retractions, db):
    study = make_study(doi=WAKEFIELD)
    Study.objects.filter(pk=study.pk).update(retraction_checked_at=timezone.now())
    make_study(doi=MEHRA_NEJM)
    out, _ = run("--doi", "https://doi.org/10.1016/S0140-6736(97)11096-0")
    assert [unquote(r["path"]) for r in retractions.requests] == [f"/works/{WAKEFIELD}"]
    assert "1 changed" in out


def test_an_unknown_or_invalid_doi_is_refused(retractions, db):
    with pytest.raises(CommandError, match="No study has DOI 10.5555/none."):
        run("--doi", "10.5555/none")
    with pytest.raises(CommandError, match="Enter a DOI"):
        run("--doi", "not a doi")
    assert retractions.requests == []


def test_lifting_through_the_command(retractions, db):
    make_study(doi=WAKEFIELD)
    run()
    retractions.serve(WAKEFIELD, "wakefield-1998-lifted")
    out, _ = run("--all")
    assert out.splitlines()[0] == f"changed {WAKEFIELD}: Retracted → Not retracted"
    assert Study.objects.get(doi=WAKEFIELD).retraction_status == "none"
