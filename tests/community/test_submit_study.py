"""/claims/<slug>/submit/: the member's form, plain and htmx."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from community.models import Submission
from community.services import (
    ALREADY_LINKED,
    ALREADY_PENDING,
    RATE_LIMITED,
    RATIONALE_MAX_LENGTH,
    RATIONALE_REQUIRED,
)
from community.views import SUBMITTED_MESSAGE
from studies.doi import INVALID_DOI_MESSAGE
from tests.factories import link, make_claim, make_study, make_submission

pytestmark = pytest.mark.django_db

DOI = "10.1080/02640414.2024.2321021"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def claim():
    return make_claim(slug="failure-training")


@pytest.fixture
def url(claim):
    return reverse("claim-submit", args=[claim.slug])


def data(**fields):
    return {"doi": DOI, "stance": "contradicts", "rationale": "Similar growth.", **fields}


def test_it_sends_anonymous_readers_to_log_in_first(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    response = client.post(url, data())
    assert response.status_code == 302
    assert not Submission.objects.exists()


@pytest.mark.parametrize("user_client", ["member_client", "editor_client"])
def test_it_shows_the_form_to_members_and_editors(request, url, claim, user_client):
    response = request.getfixturevalue(user_client).get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" in content
    assert claim.plain_statement in content
    assert 'name="doi"' in content and 'name="rationale"' in content


def test_it_returns_only_the_form_partial_to_htmx(member_client, url):
    response = member_client.get(url, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert content.strip().startswith('<div id="submit-study"')
    assert 'data-hx-post="' + url + '"' in content
    assert "HX-Request" in response["Vary"]


def test_it_refuses_draft_and_unknown_claims(member_client):
    make_claim(slug="draft", status="draft")
    assert member_client.get(reverse("claim-submit", args=["draft"])).status_code == 404
    assert member_client.get(reverse("claim-submit", args=["nope"])).status_code == 404


def test_it_refuses_other_methods(member_client, url):
    assert member_client.put(url).status_code == 405


def test_it_files_a_submission_and_redirects_to_my_submissions(member_client, member, url, claim):
    response = member_client.post(url, data(doi=f"https://doi.org/{DOI.upper()}"), follow=True)
    assert response.redirect_chain == [(reverse("my-submissions"), 302)]
    assert SUBMITTED_MESSAGE in response.content.decode()
    submission = Submission.objects.get()
    assert (submission.claim, submission.submitted_by) == (claim, member)
    assert (submission.doi, submission.stance) == (DOI, "contradicts")
    assert submission.status == Submission.Status.PENDING


def test_it_thanks_htmx_users_in_place(member_client, url):
    response = member_client.post(url, data(), **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "Thanks — an editor will review it" in content
    assert Submission.objects.count() == 1


def test_it_takes_the_title_of_a_study_we_already_know(member_client, url):
    make_study(doi=DOI, title="Known study")
    member_client.post(url, data())
    assert Submission.objects.get().title == "Known study"


def assert_refused(response, message, status=200):
    assert response.status_code == status
    assert escape(message) in response.content.decode()


def test_it_refuses_a_malformed_doi(member_client, url):
    assert_refused(member_client.post(url, data(doi="doi: nonsense")), INVALID_DOI_MESSAGE)
    assert not Submission.objects.exists()


@pytest.mark.parametrize("stance", ["supports", "contradicts"])
def test_it_refuses_a_study_already_linked_to_the_claim(member_client, url, claim, stance):
    link(claim, make_study(doi=DOI), stance=stance)
    response = member_client.post(url, data(doi=f"doi:{DOI}", stance="supports"))
    assert_refused(response, ALREADY_LINKED[stance])
    assert not Submission.objects.exists()


def test_it_names_the_stance_it_is_already_listed_with():
    assert ALREADY_LINKED["supports"] == "This study is already listed as supporting this claim."
    assert ALREADY_LINKED["contradicts"] == (
        "This study is already listed as contradicting this claim."
    )


def test_it_refuses_a_study_already_awaiting_review(member_client, url, claim, editor):
    make_submission(claim, editor, doi=DOI, stance="supports")
    assert_refused(member_client.post(url, data()), ALREADY_PENDING)
    assert Submission.objects.count() == 1


def test_it_accepts_a_study_that_was_rejected_before(member_client, url, claim, editor):
    make_submission(claim, editor, doi=DOI, status="rejected")
    assert member_client.post(url, data()).status_code == 302
    assert Submission.objects.filter(status="pending").count() == 1


def test_it_accepts_the_same_study_for_another_claim(member_client, url, editor):
    make_submission(make_claim(slug="other"), editor, doi=DOI)
    assert member_client.post(url, data()).status_code == 302


@pytest.mark.parametrize("rationale", ["", "   \n  "])
def test_it_refuses_an_empty_rationale(member_client, url, rationale):
    assert_refused(member_client.post(url, data(rationale=rationale)), RATIONALE_REQUIRED)
    assert not Submission.objects.exists()


def test_it_refuses_a_rationale_that_is_too_long(member_client, url):
    response = member_client.post(url, data(rationale="x" * (RATIONALE_MAX_LENGTH + 1)))
    assert response.status_code == 200
    assert "at most 5000 characters" in response.content.decode()
    assert not Submission.objects.exists()


def test_it_refuses_an_unknown_stance(member_client, url):
    response = member_client.post(url, data(stance="maybe"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_it_shows_errors_in_the_htmx_partial(member_client, url):
    response = member_client.post(url, data(doi="nonsense"), **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert escape(INVALID_DOI_MESSAGE) in content


def test_it_limits_submissions_per_member_per_hour(member_client, url, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    for n in range(2):
        assert member_client.post(url, data(doi=f"10.5555/ok{n}")).status_code == 302
    response = member_client.post(url, data(doi="10.5555/third"))
    assert_refused(response, RATE_LIMITED.format(limit=2), status=429)
    assert "<html" in response.content.decode()
    htmx = member_client.post(url, data(doi="10.5555/fourth"), **HTMX)
    assert_refused(htmx, RATE_LIMITED.format(limit=2), status=200)  # htmx swaps only 2xx
    assert "<html" not in htmx.content.decode()
    assert Submission.objects.count() == 2


def test_it_counts_only_the_last_hour(member_client, member, url, claim, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    for n in range(2):
        make_submission(claim, member, doi=f"10.5555/old{n}")
    Submission.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert member_client.post(url, data()).status_code == 302


def test_it_counts_each_member_separately(member_client, editor, url, claim, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    for n in range(2):
        make_submission(claim, editor, doi=f"10.5555/editor{n}")
    assert member_client.post(url, data()).status_code == 302
