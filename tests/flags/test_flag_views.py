"""Flagging from the site: the form page, the htmx partial, errors, 404s, never a 500."""

import re

import pytest
from django.urls import reverse

from claims.models import Claim
from flags.models import Flag
from flags.services import NOTE_REQUIRED, RATE_LIMITED
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def flag_url(target_type, pk) -> str:
    return reverse("flag-new", args=[target_type, pk])


def test_it_sends_an_anonymous_reader_to_log_in(client, claim):
    url = flag_url("claim", claim.pk)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert client.post(url, {"reason": "overstated"}).status_code == 302
    assert not Flag.objects.exists()


def test_it_makes_an_htmx_request_go_to_the_login_page_whole(client, claim):
    url = flag_url("claim", claim.pk)
    response = client.get(url, **HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(f"{reverse('login')}?next=")


def test_it_shows_the_form_page_and_the_htmx_partial(member_client, evidence):
    url = flag_url("evidence", evidence.pk)
    page = member_client.get(url)
    assert page.status_code == 200
    assert b"<h1>Flag a problem</h1>" in page.content
    assert b"A flagged trial" in page.content
    assert b"Abusive" not in page.content  # abuse is for comments only
    partial = member_client.get(url, **HTMX)
    assert b"<h1>" not in partial.content
    assert f'id="flag-evidence-{evidence.pk}"'.encode() in partial.content
    assert b'name="reason"' in partial.content


def test_a_member_flags_through_htmx_and_gets_the_thanks_in_place(member_client, member, evidence):
    url = flag_url("evidence", evidence.pk)
    response = member_client.post(
        url, {"reason": "wrong_stance", "note": "It found no effect."}, **HTMX
    )
    assert response.status_code == 200
    assert b"Thanks" in response.content
    assert reverse("my-flags").encode() in response.content
    flag = Flag.objects.get()
    assert (flag.target, flag.flagged_by, flag.reason) == (evidence, member, "wrong_stance")


def test_a_member_flags_without_javascript_and_goes_back_to_the_page(member_client, study):
    response = member_client.post(flag_url("study", study.pk), {"reason": "retracted"})
    assert response.status_code == 302
    assert response["Location"] == study.get_absolute_url()
    page = member_client.get(response["Location"])
    assert b"an editor will look at your flag" in page.content
    assert Flag.objects.get().target == study


def test_it_sends_an_evidence_flag_back_to_the_claim_page(member_client, evidence, claim):
    response = member_client.post(flag_url("evidence", evidence.pk), {"reason": "wrong_design"})
    assert response["Location"] == f"{claim.get_absolute_url()}#evidence"


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_it_shows_errors_and_keeps_what_was_typed(member_client, claim, headers):
    url = flag_url("claim", claim.pk)
    response = member_client.post(url, {"reason": "other", "note": "  "}, **headers)
    assert response.status_code == 200
    assert NOTE_REQUIRED.encode() in response.content
    assert re.search(rb'value="other"[^>]*checked', response.content)
    typed = "x" * 1001
    response = member_client.post(url, {"reason": "overstated", "note": typed}, **headers)
    assert b"1000 characters" in response.content
    assert typed.encode() in response.content
    response = member_client.post(url, {"reason": "abuse", "note": "Kept."}, **headers)
    assert b"Choose what is wrong." in response.content
    assert b"Kept." in response.content
    assert not Flag.objects.exists()


def test_it_says_a_second_open_flag_is_already_there(member_client, claim):
    url = flag_url("claim", claim.pk)
    member_client.post(url, {"reason": "overstated"})
    response = member_client.post(url, {"reason": "other", "note": "Again."})
    assert b"You have already flagged this" in response.content
    assert Flag.objects.count() == 1


def test_it_says_429_on_the_page_and_200_inline_when_rate_limited(member_client, settings):
    settings.FLAGS_PER_HOUR = 1
    claims = [make_claim(slug=f"c{i}") for i in range(3)]
    member_client.post(flag_url("claim", claims[0].pk), {"reason": "overstated"})
    page = member_client.post(flag_url("claim", claims[1].pk), {"reason": "overstated"})
    assert page.status_code == 429
    assert RATE_LIMITED.format(limit=1).encode() in page.content
    inline = member_client.post(flag_url("claim", claims[2].pk), {"reason": "overstated"}, **HTMX)
    assert inline.status_code == 200
    assert RATE_LIMITED.format(limit=1).encode() in inline.content


@pytest.mark.parametrize(
    "target_type, pk",
    [
        ("claim", 999999),
        ("study", 999999),
        ("evidence", 999999),
        ("comment", 999999),
        ("x", 1),
        ("claim", 2**63),
        ("claim", 10**30),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_404_for_nothing_to_flag(member_client, target_type, pk, method):
    response = getattr(member_client, method)(flag_url(target_type, pk), {"reason": "other"})
    assert response.status_code == 404


def test_it_answers_404_for_an_unpublished_claim_and_its_links(member_client, study):
    draft = make_claim(slug="draft", status=Claim.Status.DRAFT)
    evidence = draft.evidence.create(study=study, stance="supports", certainty="low")
    assert member_client.get(flag_url("claim", draft.pk)).status_code == 404
    assert member_client.get(flag_url("evidence", evidence.pk)).status_code == 404
    assert (
        member_client.post(flag_url("claim", draft.pk), {"reason": "overstated"}).status_code == 404
    )


def test_it_answers_404_for_a_pending_evidence_link(member_client, evidence):
    evidence.status = evidence.Status.PENDING
    evidence.save()
    assert member_client.get(flag_url("evidence", evidence.pk)).status_code == 404


@pytest.mark.parametrize(
    "data",
    [{}, {"reason": ["a", "b"]}, {"reason": "x" * 10_000}, {"reason": "\x00"}, {"note": "\x00"}],
)
def test_it_never_answers_500_to_junk(member_client, claim, data):
    response = member_client.post(flag_url("claim", claim.pk), data)
    assert response.status_code == 200
    assert not Flag.objects.exists()


def test_the_claim_and_study_pages_link_to_the_flag_forms(
    client, member_client, evidence, claim, study
):
    claim_page = client.get(claim.get_absolute_url())
    assert flag_url("claim", claim.pk).encode() in claim_page.content
    member_page = member_client.get(claim.get_absolute_url())
    assert flag_url("evidence", evidence.pk).encode() in member_page.content
    study_page = client.get(study.get_absolute_url())
    assert flag_url("study", study.pk).encode() in study_page.content


def test_a_member_reports_a_comment_and_goes_back_to_it(member_client, editor, claim):
    comment_model = pytest.importorskip("discussion.models").Comment
    comment = comment_model.objects.create(claim=claim, author=editor, body="Off topic.")
    url = flag_url("comment", comment.pk)
    assert b"Abusive, off-topic or spam" in member_client.get(url).content
    response = member_client.post(url, {"reason": "abuse"})
    assert response["Location"] == comment.get_absolute_url()
    assert Flag.objects.get().target == comment
