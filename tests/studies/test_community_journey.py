"""Issue 5, done when: a newcomer signs up from a claim page, submits a contradicting study
by DOI, an editor accepts it in the admin, and the claim page shows it with a higher Against
score; bad DOIs and repeats are refused clearly."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from claims.services import claim_rescore
from studies.doi import INVALID_DOI_MESSAGE
from studies.models import Submission
from studies.services import ALREADY_PENDING
from tests.conftest import link, make_claim, make_study

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
    response = editor_client.post(
        reverse("admin:studies_submission_changelist"),
        {"action": "accept_selected", "_selected_action": [submission.pk], "index": 0},
    )
    assert response.status_code == 302

    claim.refresh_from_db()
    assert claim.against_score > before
    content = newcomer.get(page).content.decode()
    assert "Without Fail: Muscular Adaptations in Single Set Resistance Training" in content
    assert "Single sets to failure or with RIR gave similar growth." in content
    assert "awaiting review" not in content
    mine = newcomer.get(reverse("my-submissions")).content.decode()
    assert "Accepted" in mine
