import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

OUR_APPS = ("claims", "studies", "community")
OUR_MODELS = [model for model in admin.site._registry if model._meta.app_label in OUR_APPS]
# Submissions come from members only: the admin cannot add one (nor forge its submitter).
NO_ADD = {"submission"}
PAGES = [
    (f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}")
    for model in OUR_MODELS
    for page in ("changelist", "add")
    if page != "add" or model._meta.model_name not in NO_ADD
]


def test_it_registers_every_domain_model():
    names = {model.__name__ for model in OUR_MODELS}
    assert names == {
        "Claim",
        "Evidence",
        "Analysis",
        "Mechanism",
        "Study",
        "Submission",
    }


@pytest.mark.parametrize("name", PAGES)
def test_it_shows_each_admin_page_to_an_editor(demo, editor_client, name):
    response = editor_client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_it_refuses_each_admin_page_to_a_member(demo, member_client, name):
    response = member_client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_it_shows_each_demo_claim_change_page_to_an_editor(demo, editor_client):
    for claim in demo:
        url = reverse("admin:claims_claim_change", args=[claim.pk])
        assert editor_client.get(url).status_code == 200


def test_it_shows_each_demo_evidence_change_page_with_its_effect_on_the_verdict(
    demo, editor_client
):
    from claims.models import Evidence

    for evidence in Evidence.objects.all():
        url = reverse("admin:claims_evidence_change", args=[evidence.pk])
        html = editor_client.get(url).content.decode()
        assert 'name="_preview"' in html
        assert "If appraised as it stands: " in html or "Without this link: " in html


def test_it_rescores_when_an_editor_changes_a_study_design(demo, editor_client):
    from claims.models import Claim
    from studies.models import Study

    study = Study.objects.get(doi="10.1080/02640414.2024.2321021")
    claim = Claim.objects.filter(evidence__study=study).first()
    before = claim.pro_score
    data = {
        "doi": study.doi,
        "title": study.title,
        "authors": study.authors,
        "journal": study.journal,
        "year": study.year,
        "design": "cohort",
        "sample_size": study.sample_size,
        "population": study.population,
        "duration_weeks": study.duration_weeks or "",
        "abstract": study.abstract,
        "url": study.url,
        "retraction_status": "none",
    }
    response = editor_client.post(reverse("admin:studies_study_change", args=[study.pk]), data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.pro_score < before


def test_it_refuses_a_bad_doi_in_the_admin(demo, editor_client):
    data = {"doi": "not-a-doi", "title": "T", "design": "rct", "retraction_status": "none"}
    response = editor_client.post(reverse("admin:studies_study_add"), data)
    assert response.status_code == 200
    assert "Enter a DOI such as" in response.content.decode()


def test_it_keeps_the_scores_and_evidence_record_of_an_analysis_published_in_the_admin(
    demo, editor_client
):
    from claims.models import Analysis

    claim = next(c for c in demo if c.evidence.exists())
    data = {
        "claim": claim.pk,
        "summary": "Editor's reading",
        "change_note": "Published from the admin",
        "published_at_0": "2026-12-02",
        "published_at_1": "09:30:00",
        "mechanisms-TOTAL_FORMS": "0",
        "mechanisms-INITIAL_FORMS": "0",
        "mechanisms-MIN_NUM_FORMS": "0",
        "mechanisms-MAX_NUM_FORMS": "1000",
    }
    response = editor_client.post(reverse("admin:claims_analysis_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    analysis = Analysis.objects.get(claim=claim, change_note="Published from the admin")
    claim.refresh_from_db()
    assert (analysis.pro, analysis.against) == (claim.pro_score, claim.against_score)
    assert analysis.pro > 0
    assert analysis.verdict == claim.verdict
    # The record lists the appraised studies (awaiting appraisal, a link counts for nothing).
    appraised = claim.evidence.filter(status="approved", appraisal_status="appraised")
    assert len(analysis.evidence_snapshot) == appraised.count()
    assert analysis.published_at.date().isoformat() == "2026-12-02"


def test_it_accepts_a_doi_link_in_the_admin_and_stores_the_normal_form(demo, editor_client):
    from studies.models import Study

    data = {"doi": "https://doi.org/10.1000/ABC.123", "title": "Linked", "design": "rct"}
    data["retraction_status"] = "none"  # what the browser posts for the select
    response = editor_client.post(reverse("admin:studies_study_add"), data)
    assert response.status_code == 302
    assert Study.objects.get(title="Linked").doi == "10.1000/abc.123"


def test_it_refuses_a_duplicate_doi_written_differently_in_the_admin(demo, editor_client):
    from studies.models import Study

    existing = Study.objects.exclude(doi="").first()
    data = {"doi": f"https://doi.org/{existing.doi.upper()}", "title": "Again", "design": "rct"}
    data["retraction_status"] = "none"
    response = editor_client.post(reverse("admin:studies_study_add"), data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not Study.objects.filter(title="Again").exists()


def test_it_keeps_evidence_on_its_claim_once_added(demo, editor_client):
    from claims.models import Evidence

    evidence = Evidence.objects.first()
    page = editor_client.get(reverse("admin:claims_evidence_change", args=[evidence.pk]))
    html = page.content.decode()
    # Neither moves once linked (another study keeps this one's appraisal): add a new link.
    assert 'name="study"' not in html
    assert 'name="claim"' not in html
    assert (
        'name="claim"' in editor_client.get(reverse("admin:claims_evidence_add")).content.decode()
    )
