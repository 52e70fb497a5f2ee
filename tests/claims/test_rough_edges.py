"""Issue 18's small rough edges on the claim page: each side's score in its heading, a slug in
the wrong case, the title in the scientific wording, the log-out message, and a pending
submission that is not a change of the claim."""

import re
from html import escape

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.services import claim_rescore
from tests.factories import link, make_claim, make_study, make_submission

pytestmark = pytest.mark.django_db

SCIENTIFIC = "Resistance training to failure increases quadriceps cross-sectional area in adults."


@pytest.fixture
def claim():
    claim = make_claim(slug="rir-training-growth", statement=SCIENTIFIC)
    link(claim, make_study(doi="10.1000/for", title="The trial for"), certainty="moderate")
    claim_rescore(claim=claim)
    return Claim.objects.get(pk=claim.pk)


def headings(response) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", "", h3).split())
        for h3 in re.findall(r"<h3>(.*?)</h3>", response.content.decode(), re.S)
    ]


def test_it_shows_each_side_s_score_in_its_heading(member_client, claim):
    assert claim.pro_score > 0  # the side score is a number the page shows elsewhere too
    response = member_client.get(claim.get_absolute_url())
    assert f"Supporting (1) · {claim.pro_score}" in headings(response)
    assert "Contradicting (0) · 0" in headings(response)


def test_it_redirects_a_slug_in_the_wrong_case_to_the_claim(client, claim):
    response = client.get("/claims/RIR-Training-Growth/", {"wording": "scientific"})
    assert response.status_code == 301
    assert response["Location"] == "/claims/rir-training-growth/?wording=scientific"


def test_it_still_404s_a_slug_in_the_wrong_case_of_no_claim(client, claim):
    assert client.get("/claims/No-Such-Claim/").status_code == 404


def test_it_does_not_redirect_to_a_draft_for_an_anonymous_reader(client, claim):
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.DRAFT)
    assert client.get("/claims/RIR-Training-Growth/").status_code == 404


def test_it_titles_the_scientific_wording_with_the_scientific_statement(client, claim):
    content = client.get(claim.get_absolute_url(), {"wording": "scientific"}).content.decode()
    title = re.search(r"<title>(.*?)</title>", content, re.S).group(1)
    og_title = re.search(r'<meta property="og:title" content="([^"]*)">', content).group(1)
    assert title.startswith("Resistance training to failure increases")
    assert og_title.startswith("Resistance training to failure")
    assert escape(claim.plain_statement) not in title + og_title


def test_it_titles_the_plain_wording_with_the_plain_statement(client, claim):
    content = client.get(claim.get_absolute_url()).content.decode()
    title = re.search(r"<title>(.*?)</title>", content, re.S).group(1)
    assert title.startswith(escape(claim.plain_statement))


def test_it_says_you_are_logged_out(member_client):
    response = member_client.post(reverse("logout"), follow=True)
    assert "You are logged out." in response.content.decode()
    assert "_auth_user_id" not in member_client.session


def test_it_renders_the_logged_out_message_on_a_claim_page_then_caches_again(
    member_client, client, claim
):
    url = claim.get_absolute_url()
    client.get(url)  # the anonymous page, now in the cache
    response = member_client.post(reverse("logout"), {"next": url}, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert "You are logged out." in response.content.decode()
    assert "ETag" not in response  # shown once: never revalidated into a 304 with it
    again = member_client.get(url)
    assert "You are logged out." not in again.content.decode()
    assert again["ETag"] == client.get(url)["ETag"]


def test_a_pending_submission_moves_the_page_but_not_the_claim_s_updated_time(claim, member):
    before = Claim.objects.get(pk=claim.pk)
    make_submission(claim, member)
    after = Claim.objects.get(pk=claim.pk)
    assert after.cache_version != before.cache_version  # the page counts pending submissions
    assert after.last_changed_at == before.last_changed_at  # feeds, sitemap, API updated_at
    assert after.updated_at == before.updated_at


def test_a_rejected_submission_does_not_move_the_claim_s_updated_time(claim, member):
    submission = make_submission(claim, member)
    before = Claim.objects.get(pk=claim.pk)
    submission.status = submission.Status.REJECTED
    submission.save()
    after = Claim.objects.get(pk=claim.pk)
    assert after.cache_version != before.cache_version
    assert after.last_changed_at == before.last_changed_at


def test_a_pending_submission_does_not_move_the_api_s_updated_at(client, claim, member):
    before = client.get(reverse("claim-json", args=[claim.slug])).json()["updated_at"]
    make_submission(claim, member)
    assert client.get(reverse("claim-json", args=[claim.slug])).json()["updated_at"] == before


def test_it_shows_the_side_scores_in_the_demo_headings_as_the_seeds_do(member_client, demo):
    # Seed 004: "Supporting (1)" over "66", "Contradicting (0)" over "0". The demo claim was
    # re-appraised under the second edition of the scoring model (test_seed_pages), so its
    # heading shows its own score where the seed shows 66.
    claim = demo.get(slug="quadriceps-regional-hypertrophy-failure-vs-rir")
    response = member_client.get(claim.get_absolute_url())
    expected = {f"Supporting (1) · {claim.pro_score}", "Contradicting (0) · 0"}
    assert expected <= set(headings(response))
