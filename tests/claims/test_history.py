import pytest
from django.urls import reverse

from claims.services import analysis_publish
from tests.conftest import link, make_claim, make_study

pytestmark = pytest.mark.django_db


def test_it_lists_every_version_with_its_scores_and_changes(client, editor):
    claim = make_claim()
    weak = make_study(doi="10.1000/weak", title="Weak cohort", design="cohort", sample_size=50)
    link(claim, weak, certainty="low")
    analysis_publish(claim=claim, author=editor, change_note="First look")
    link(claim, make_study(doi="10.1000/rct", title="Strong RCT", sample_size=100),
         stance="contradicts", certainty="high")  # fmt: skip
    analysis_publish(claim=claim, author=editor, change_note="Added the RCT")
    html = client.get(reverse("claim-history", args=[claim.slug])).content.decode()
    assert "Analysis v2" in html and "Analysis v1" in html
    assert html.index("Analysis v2") < html.index("Analysis v1")
    assert "Added the RCT" in html and "First look" in html
    assert "Added: Strong RCT (contradicts" in html
    assert "Against rose from 0 to 86" in html
    assert "<svg" in html and "polyline" in html
    assert "editor" in html


def test_it_shows_evidence_changed_since_the_latest_version(client):
    claim = make_claim()
    analysis_publish(claim=claim)
    link(claim, make_study(doi="10.1000/new", title="New trial", sample_size=18))
    html = client.get(reverse("claim-history", args=[claim.slug])).content.decode()
    assert "Since v1" in html
    assert "Added: New trial (supports" in html
    assert "Pro rose from 0 to 66" in html


def test_it_does_not_call_a_corrected_study_title_a_change_of_evidence(client):
    claim = make_claim()
    study = make_study(doi="10.1000/typo", title="Tyop in title", sample_size=18)
    link(claim, study)
    analysis_publish(claim=claim)
    study.title = "Typo in title"
    study.save()
    html = client.get(reverse("claim-history", args=[claim.slug])).content.decode()
    assert "Analysis v1" in html
    assert "Since v1" not in html


def test_it_says_when_there_is_no_analysis(client):
    claim = make_claim()
    html = client.get(reverse("claim-history", args=[claim.slug])).content.decode()
    assert "No analysis has been published" in html
