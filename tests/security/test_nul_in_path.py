"""A NUL character in a DOI (typed, or %00 in a DOI link) or in the address itself is a clear
400/404 on every database, never a 500 (PostgreSQL cannot store or compare text with a NUL)."""

import pytest
from django.urls import reverse

from claims.models import Claim
from community.models import Submission
from studies.doi import INVALID_DOI_MESSAGE
from tests.factories import make_study


@pytest.fixture
def claim(db):
    return Claim.objects.create(
        slug="c", statement="s", plain_statement="p", claim_type="causal", status="published"
    )


@pytest.mark.parametrize(
    "doi",
    [
        "https://doi.org/10.1234/a%00b",
        "doi.org/10.1234/a%00b",
        "https://doi.org/10.1234/a%01b",
        "https://doi.org/10.1234/a%7Fb",
        "10.1234/a\x1bb",
        "10.1234/a\x85b",
    ],
)
def test_it_refuses_a_doi_with_a_control_character_in_the_form(member_client, claim, doi):
    response = member_client.post(
        reverse("claim-submit", args=[claim.slug]),
        {"doi": doi, "stance": "supports", "rationale": "It found so."},
    )
    assert response.status_code == 200
    assert INVALID_DOI_MESSAGE in response.content.decode()
    assert Submission.objects.count() == 0


def test_it_refuses_a_typed_nul_in_the_doi_field(member_client, claim):
    response = member_client.post(
        reverse("claim-submit", args=[claim.slug]),
        {"doi": "10.1234/a\x00b", "stance": "supports", "rationale": "It found so."},
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    "path", ["/studies/10.1234/a%00b/", "/studies/10.1234/a\x00b/", "/claims/a%00b/", "/%00"]
)
def test_it_answers_a_nul_in_a_page_address_with_a_friendly_400(client, db, path):
    make_study(doi="10.1234/ab")
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "We couldn't handle that request" in response.content.decode()


@pytest.mark.parametrize("path", ["/api/studies/10.1234/a%00b/", "/api/claims/a%00b/"])
def test_it_answers_a_nul_in_an_api_address_with_json_400(client, db, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.json()["error"].startswith("The address contains a NUL character")


@pytest.mark.parametrize(
    "path", ["/studies/10.1234/a%01b/", "/api/studies/10.1234/a%1Fb/", "/studies/10.1234/a%7Fb/"]
)
def test_it_answers_other_control_characters_in_a_doi_address_with_404(client, db, path):
    make_study(doi="10.1234/ab")
    response = client.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.json()["status"] == 404
