"""`manage.py rescore`: what it recomputes, what it reports, and what it refuses."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from scoring import weights
from tests.factories import link, make_claim, make_study


def rescore(*args) -> str:
    out = StringIO()
    call_command("rescore", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def two_claims(db):
    first = make_claim(slug="first")
    second = make_claim(slug="second")
    link(first, make_study(title="One"), certainty="moderate")
    link(second, make_study(title="Two"), certainty="high")
    rescore()
    return first, second


def test_it_reports_each_changed_claim_and_the_total(two_claims):
    Claim.objects.filter(slug="first").update(pro_score=1, verdict="Mixed evidence")
    before = Claim.objects.get(slug="first")

    out = rescore()

    first = Claim.objects.get(slug="first")
    # The batch write stores real, time-zone aware times that read back as they were written.
    assert first.scored_at > before.scored_at
    assert first.content_changed_at == first.scored_at
    expected = f"first: Pro 1→{first.pro_score}, Against 0→0, Mixed evidence → {first.verdict}"
    assert f"{expected}, certainty {first.get_certainty_display().lower()}" in out
    assert "second" not in out.replace("Rescored 2 claim(s)", "")
    assert out.strip().endswith("Rescored 2 claim(s); 1 changed.")


def test_it_rescores_only_the_named_claim(two_claims):
    Claim.objects.update(pro_score=1)

    out = rescore("--claim", "second")

    assert "Rescored 1 claim(s); 1 changed." in out
    assert Claim.objects.get(slug="first").pro_score == 1
    assert Claim.objects.get(slug="second").pro_score > 1


def test_it_refuses_an_unknown_claim_with_one_readable_line(two_claims):
    with pytest.raises(CommandError, match="No claim with slug 'nope'"):
        rescore("--claim", "nope")


def test_it_refuses_a_batch_size_below_one(two_claims):
    with pytest.raises(CommandError, match="at least 1"):
        rescore("--batch-size", "0")


def test_it_prints_nothing_at_verbosity_zero(two_claims):
    Claim.objects.update(pro_score=1)
    out = StringIO()

    call_command("rescore", verbosity=0, stdout=out)

    assert out.getvalue() == ""
    assert Claim.objects.get(slug="first").pro_score > 1


def test_it_runs_the_same_number_of_queries_per_batch_whatever_it_holds(db):
    def queries_for(n_claims: int) -> int:
        Claim.objects.all().delete()
        for i in range(n_claims):
            claim = make_claim(slug=f"claim-{i}")
            link(claim, make_study(title=f"Study {i}"))
        with CaptureQueriesContext(connection) as queries:
            rescore("--batch-size", "1000")
        return len(queries)

    assert queries_for(3) == queries_for(30)


def test_a_change_of_the_scoring_constants_reaches_the_cached_page(two_claims, client, monkeypatch):
    first = Claim.objects.get(slug="first")
    before = first.pro_score
    assert f">{before}<" in client.get("/claims/first/").content.decode()

    monkeypatch.setattr(weights, "SCALE", weights.SCALE * 2)
    out = rescore()

    after = Claim.objects.get(slug="first").pro_score
    assert after < before
    assert "first: Pro" in out
    page = client.get("/claims/first/").content.decode()
    assert f">{after}<" in page
