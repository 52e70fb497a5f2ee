"""Issue 5, done when: a newcomer signs up from a claim page, submits a contradicting study
by DOI, an editor accepts it in the admin, and the claim page shows it; bad DOIs and repeats
are refused clearly. Issue 12: accepted, it is listed "awaiting appraisal" and changes no score
until an editor appraises it; then Against rises."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from claims.models import Evidence
from claims.services import claim_rescore
from community.models import Submission
from community.services import ALREADY_PENDING
from studies.doi import INVALID_DOI_MESSAGE
from tests.admin.admin_forms import change_form_data, evidence_url
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

HERMANN = "10.1249/MSS.0000000000003728"


def test_it_takes_a_newcomers_study_from_submission_to_the_score(crossref, editor_client):
    claim = make_claim(slug="failure-builds-more-muscle")
    link(claim, make_study(title="A supporting trial", doi="10.5555/support"), stance="supports")
    claim_rescore(claim=claim)
    claim.refresh_from_db()
    before = claim.against_score
    page = claim.get_absolute_url()
    submit = reverse("claim-submit", args=[claim.slug])

    newcomer = Client()
    assert "Sign up to see full verdict" in newcomer.get(page).content.decode()
    response = newcomer.post(
        reverse("signup"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
            "next": page,
        },
    )
    assert response["Location"] == page
    assert submit in newcomer.get(page).content.decode()

    bad = newcomer.post(submit, {"doi": "hermann 2025", "stance": "contradicts", "rationale": "x"})
    assert escape(INVALID_DOI_MESSAGE) in bad.content.decode()
    rationale = "Single sets to failure or with RIR gave similar growth.\n\n42 trained adults."
    form = {"doi": f"https://doi.org/{HERMANN}", "stance": "contradicts", "rationale": rationale}
    assert newcomer.post(submit, form)["Location"] == reverse("my-submissions")
    again = newcomer.post(submit, form)
    assert escape(ALREADY_PENDING) in again.content.decode()
    assert "1 community submission awaiting review" in newcomer.get(page).content.decode()

    submission = Submission.objects.get()
    action = {"action": "accept_selected", "_selected_action": [submission.pk], "index": 0}
    changelist = reverse("admin:community_submission_changelist")
    confirmation = editor_client.post(changelist, action)
    assert confirmation.status_code == 200  # what it will do, before it does it
    assert "awaiting appraisal" in confirmation.content.decode()
    assert editor_client.post(changelist, {**action, "confirm": "1"}).status_code == 302

    claim.refresh_from_db()
    assert claim.against_score == before
    content = newcomer.get(page).content.decode()
    assert "Without Fail: Muscular Adaptations in Single Set Resistance Training" in content
    assert "Single sets to failure or with RIR gave similar growth." in content
    assert "<dd>awaiting appraisal</dd>" in content
    assert "awaiting review" not in content

    evidence = Evidence.objects.get(study__doi=HERMANN.lower())
    url = evidence_url(evidence)
    appraised = change_form_data(
        editor_client,
        url,
        appraisal_status="appraised",
        risk_of_bias_judgement="some",
        risk_of_bias_domain="measurement",
        risk_of_bias_reason="Participants knew their condition; assessor blinding not reported.",
    )
    assert editor_client.post(url, appraised).status_code == 302
    claim.refresh_from_db()
    assert claim.against_score > before
    assert "<dd>awaiting appraisal</dd>" not in newcomer.get(page).content.decode()
    mine = newcomer.get(reverse("my-submissions")).content.decode()
    assert "Accepted" in mine
