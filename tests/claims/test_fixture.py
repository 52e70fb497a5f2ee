import pytest
from django.core.management import call_command

from claims.models import Analysis, Claim, Evidence, IdealStudy, Mechanism
from studies.models import Study

pytestmark = pytest.mark.django_db


def test_it_loads_five_published_claims_with_their_parts(demo):
    assert Claim.objects.published().count() == 5
    for claim in Claim.objects.all():
        assert claim.statement and claim.plain_statement and claim.summary
        assert claim.evidence.exists()
        assert 3 <= claim.ideal_studies.count() <= 5
        current = Analysis.objects.for_claim(claim).first()
        assert current.mechanisms.filter(kind="most_probable").exists()
        assert current.mechanisms.filter(kind="alternative").exists()


def test_it_shares_one_study_between_the_two_five_week_claims(demo):
    shared = [study for study in Study.objects.all() if study.evidence.count() >= 2]
    assert any(study.doi == "" for study in shared)


def test_it_reloads_without_duplicating(demo):
    counts = [m.objects.count() for m in (Claim, Study, Evidence, Mechanism, IdealStudy)]
    call_command("loaddata", "demo", verbosity=0)
    assert [m.objects.count() for m in (Claim, Study, Evidence, Mechanism, IdealStudy)] == counts


def test_it_keeps_the_analysis_v2_of_the_regional_claim(demo):
    versions = Analysis.objects.values_list("claim__slug", "version")
    assert max(version for _, version in versions) == 2


def test_it_loads_the_demo_once_and_keeps_editors_changes(db):
    from io import StringIO

    call_command("load_demo", stdout=StringIO())
    claim = Claim.objects.first()
    assert claim.pro_score > 0
    claim.plain_statement = "Edited by an editor"
    claim.save()
    out = StringIO()
    call_command("load_demo", stdout=out)
    claim.refresh_from_db()
    assert claim.plain_statement == "Edited by an editor"
    assert "not loaded" in out.getvalue()
