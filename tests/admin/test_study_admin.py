"""The study admin: retraction, trial registration, the reviews a study is pooled in."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from claims.models import Claim
from studies.admin import POOLED_IN_ITSELF, POOLED_IN_LOOP, POOLED_IN_NOT_REVIEW
from studies.models import Study
from tests.admin.admin_forms import change_form_data
from tests.factories import assert_scores_current, link, make_claim, make_study

pytestmark = pytest.mark.django_db

STUDIES = reverse("admin:studies_study_changelist")


def study_url(study) -> str:
    return reverse("admin:studies_study_change", args=[study.pk])


def scores(claim) -> tuple:
    claim = Claim.objects.get(pk=claim.pk)
    return (claim.pro_score, claim.against_score, claim.verdict, claim.certainty)


@pytest.fixture
def trial():
    return make_study(doi="10.1000/trial", title="A trial", sample_size=400)


def test_setting_a_retraction_in_the_admin_drops_the_study_on_every_claim(editor_client, trial):
    first, second = make_claim(slug="first"), make_claim(slug="second")
    link(first, trial, certainty="", risk_of_bias_judgement="low")
    link(second, trial, stance="contradicts", certainty="", risk_of_bias_judgement="low")
    assert scores(first)[0] > 0 and scores(second)[1] > 0

    data = change_form_data(
        editor_client,
        study_url(trial),
        retraction_status="retracted",
        retraction_notice_doi="https://doi.org/10.1000/RETRACTION",
        retraction_date="2025-03-01",
    )
    assert editor_client.post(study_url(trial), data).status_code == 302

    trial.refresh_from_db()
    assert trial.is_retracted and trial.retraction_notice_doi == "10.1000/retraction"
    assert scores(first)[:3] == (0, 0, "Insufficient evidence")
    assert scores(second)[:3] == (0, 0, "Insufficient evidence")
    assert_scores_current()

    def listed(status):
        response = editor_client.get(STUDIES, {"retraction_status__exact": status})
        return list(response.context["cl"].result_list)

    assert listed("retracted") == [trial]
    assert listed("none") == []


def test_a_notice_without_its_kind_is_refused(editor_client, trial):
    data = change_form_data(editor_client, study_url(trial), retraction_date="2025-03-01")
    response = editor_client.post(study_url(trial), data)
    assert response.status_code == 200
    assert "retraction_status" in response.context["adminform"].form.errors
    trial.refresh_from_db()
    assert trial.retraction_date is None


def test_pooled_in_refuses_a_study_that_is_not_a_review(editor_client, trial):
    other = make_study(doi="10.1000/other", title="Another trial", design="cohort")
    data = change_form_data(editor_client, study_url(trial), pooled_in=[str(other.pk)])
    response = editor_client.post(study_url(trial), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["pooled_in"]
    assert errors == [POOLED_IN_NOT_REVIEW.format(study=other, design=other.design_label)]
    assert escape(errors[0]) in response.content.decode()
    assert not trial.pooled_in.exists()


def test_a_review_cannot_be_pooled_in_itself(editor_client):
    review = make_study(doi="10.1000/review", title="A review", design="meta_analysis_rct")
    data = change_form_data(editor_client, study_url(review), pooled_in=[str(review.pk)])
    response = editor_client.post(study_url(review), data)
    assert response.context["adminform"].form.errors["pooled_in"] == [POOLED_IN_ITSELF]
    assert not review.pooled_in.exists()


def test_pooled_in_a_review_on_the_same_claim_the_trial_counts_through_the_review(
    editor_client, trial
):
    claim = make_claim()
    review = make_study(
        doi="10.1000/review", title="A review", design="meta_analysis_rct", sample_size=900
    )
    link(claim, trial, certainty="", risk_of_bias_judgement="low")
    link(claim, review, certainty="", risk_of_bias_judgement="low")
    before = scores(claim)

    data = change_form_data(editor_client, study_url(trial), pooled_in=[str(review.pk)])
    assert editor_client.post(study_url(trial), data).status_code == 302

    assert list(trial.pooled_in.all()) == [review]
    assert scores(claim)[0] < before[0]  # the trial's patients are counted once, in the review
    assert_scores_current()


def test_the_pooled_in_autocomplete_offers_reviews_only(editor_client, trial):
    review = make_study(doi="10.1000/review", title="A review", design="systematic_review")
    params = {
        "app_label": "studies",
        "model_name": "study",
        "field_name": "pooled_in",
        "term": "",
    }
    response = editor_client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(review.pk)]


def test_trial_registration_funding_and_conflicts_are_editable(editor_client, trial):
    data = change_form_data(
        editor_client,
        study_url(trial),
        trial_registration=" ChiCTR2000012345 ",
        funding="National research council.",
        conflicts_of_interest="One author consults for a supplement maker.",
    )
    assert editor_client.post(study_url(trial), data).status_code == 302
    trial.refresh_from_db()
    assert trial.trial_registration == "ChiCTR2000012345"  # stripped, the registry's case kept
    assert trial.funding == "National research council."
    assert trial.conflicts_of_interest.startswith("One author consults")
    html = editor_client.get(study_url(trial)).content.decode()
    for section in ("Trial and reviews", "Retraction", "Funding and conflicts of interest"):
        assert section in html
    assert Study.objects.count() == 1


def review(name: str, design: str = "systematic_review") -> Study:
    return make_study(doi=f"10.1000/{name.lower()}", title=f"Review {name}", design=design)


def test_pooled_in_refuses_two_reviews_pooled_in_each_other(editor_client):
    """The defect: the admin took A pooled in B with B already pooled in A (then the ORM
    guard's refusal was a 500); each review then counted only through the other."""
    a, b = review("A"), review("B", design="meta_analysis_rct")
    b.pooled_in.add(a)
    data = change_form_data(editor_client, study_url(a), pooled_in=[str(b.pk)])
    response = editor_client.post(study_url(a), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["pooled_in"]
    loop = f"“{a}” → “{b}” → “{a}”"
    assert errors == [POOLED_IN_LOOP.format(review=b, loop=loop)]
    assert escape(errors[0]) in response.content.decode()
    assert not a.pooled_in.exists()


def test_pooled_in_refuses_a_longer_loop_through_existing_links(editor_client):
    a, b, c = review("A"), review("B"), review("C")
    a.pooled_in.add(b)
    b.pooled_in.add(c)
    other = review("D")
    data = change_form_data(editor_client, study_url(c), pooled_in=[str(other.pk), str(a.pk)])
    response = editor_client.post(study_url(c), data)
    assert response.status_code == 200
    loop = f"“{c}” → “{a}” → “{b}” → “{c}”"
    assert response.context["adminform"].form.errors["pooled_in"] == [
        POOLED_IN_LOOP.format(review=a, loop=loop)
    ]
    assert not c.pooled_in.exists()

    # Nesting without a loop is fine: a review pooled in an umbrella review.
    data = change_form_data(editor_client, study_url(c), pooled_in=[str(other.pk)])
    assert editor_client.post(study_url(c), data).status_code == 302
    assert list(c.pooled_in.all()) == [other]
