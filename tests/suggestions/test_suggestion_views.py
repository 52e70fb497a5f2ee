"""/suggest/<target_type>/<pk>/ and /accounts/suggestions/: members only, htmx and no-JS."""

import pytest
from django.urls import reverse

from claims.models import Claim
from suggestions.models import Suggestion
from suggestions.services import (
    NOTHING_CHANGED,
    RATIONALE_REQUIRED,
    suggestion_create,
    suggestion_reject,
)
from suggestions.views import SUGGESTED_MESSAGE
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def claim():
    return make_claim(summary="The summary.")


def url(target_type, pk):
    return reverse("suggestion-new", args=[target_type, pk])


def post(claim, **fields):
    return {
        "plain_statement": claim.plain_statement,
        "summary": claim.summary,
        "seen_plain_statement": claim.plain_statement,
        "seen_summary": claim.summary,
        "rationale": "The trials say so.",
        **fields,
    }


def test_it_sends_anonymous_readers_to_log_in(client, claim):
    response = client.get(url("claim", claim.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_the_form_filled_with_the_current_values(member_client, claim):
    response = member_client.get(url("claim", claim.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "X makes Y go up." in html and "The summary." in html
    assert 'name="seen_plain_statement"' in html
    assert "<html" in html  # a full page


def test_it_answers_htmx_with_the_form_alone(member_client, claim):
    response = member_client.get(url("claim", claim.pk), **HTMX)
    html = response.content.decode()
    assert 'id="suggest-edit"' in html and "<html" not in html


def test_it_files_a_suggestion_and_sends_a_plain_form_back_to_the_page(member_client, claim):
    response = member_client.post(
        url("claim", claim.pk), post(claim, plain_statement="X raises Y."), follow=True
    )
    assert response.redirect_chain[-1][0] == claim.get_absolute_url()
    assert SUGGESTED_MESSAGE in response.content.decode()
    suggestion = Suggestion.objects.get()
    assert suggestion.changes == {
        "plain_statement": {"from": "X makes Y go up.", "to": "X raises Y."}
    }


def test_it_answers_an_htmx_post_with_the_thanks_in_place(member_client, claim):
    response = member_client.post(
        url("claim", claim.pk), post(claim, plain_statement="X raises Y."), **HTMX
    )
    assert response.status_code == 200
    assert "an editor will review your suggested edit" in response.content.decode()


def test_it_re_shows_the_form_with_errors_and_keeps_what_was_typed(member_client, claim):
    response = member_client.post(
        url("claim", claim.pk), post(claim, plain_statement="Typed wording.", rationale=""), **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert RATIONALE_REQUIRED in html and "Typed wording." in html
    assert not Suggestion.objects.exists()


def test_it_says_when_nothing_changed(member_client, claim):
    response = member_client.post(url("claim", claim.pk), post(claim))
    assert response.status_code == 200
    assert NOTHING_CHANGED in response.content.decode()


def test_it_shows_a_field_error_from_the_service_beside_the_field(member_client):
    study = make_study()
    data = {"title": "", "seen_title": "A study", "rationale": "Why."}
    response = member_client.post(url("study", study.pk), data)
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["This field cannot be blank."]


def test_it_refuses_past_the_hourly_limit_with_a_429(member_client, claim, settings):
    settings.SUGGESTIONS_PER_HOUR = 1
    member_client.post(url("claim", claim.pk), post(claim, plain_statement="One."))
    response = member_client.post(url("claim", claim.pk), post(claim, plain_statement="Two."))
    assert response.status_code == 429
    assert "Two." in response.content.decode()


def test_it_takes_a_study_and_an_evidence_link(member_client, claim):
    study = make_study(title="Paper")
    evidence = link(claim, study, finding="Old.")
    assert member_client.get(url("study", study.pk)).status_code == 200
    response = member_client.post(
        url("evidence", evidence.pk),
        {"finding": "New.", "seen_finding": "Old.", "rationale": "See table 2."},
    )
    assert response.status_code == 302
    assert response["Location"] == claim.get_absolute_url()
    assert Suggestion.objects.get().claim == claim


@pytest.mark.parametrize(
    "path",
    [
        "/suggest/claim/999999/",
        "/suggest/user/1/",
        "/suggest/Claim/1/",
        "/suggest/claim/99999999999999999999999/",
        "/suggest/claim/abc/",
    ],
)
def test_it_answers_junk_with_404(member_client, claim, path):
    assert member_client.get(path).status_code == 404
    assert member_client.post(path, {"rationale": "x"}).status_code == 404


def test_it_answers_404_for_a_draft_claim(member_client):
    draft = make_claim(slug="draft", status=Claim.Status.DRAFT)
    assert member_client.get(url("claim", draft.pk)).status_code == 404


def test_the_claim_page_links_to_the_forms_the_same_for_every_reader(client, member_client, claim):
    evidence = link(claim, make_study())
    anonymous = client.get(claim.get_absolute_url()).content.decode()
    signed_in = member_client.get(claim.get_absolute_url()).content.decode()
    assert url("claim", claim.pk) in anonymous and url("claim", claim.pk) in signed_in
    assert url("evidence", evidence.pk) in signed_in  # the evidence list is members'


def test_the_study_page_links_to_its_form(client):
    study = make_study()
    assert url("study", study.pk) in client.get(study.get_absolute_url()).content.decode()


def test_my_suggestions_lists_the_members_own_with_the_note(
    member_client, member, editor, claim, django_assert_max_num_queries
):
    study = make_study(title="A paper")
    evidence = link(claim, study)
    for target, field in ((claim, "summary"), (study, "journal"), (evidence, "finding")):
        suggestion = suggestion_create(
            user=member, target=target, proposed={field: "New."}, rationale="Why."
        )
    suggestion_reject(suggestion=suggestion, editor=editor, note="Not in the paper.")
    suggestion_create(user=editor, target=claim, proposed={"summary": "Hers."}, rationale="x")

    with django_assert_max_num_queries(12):
        response = member_client.get(reverse("my-suggestions"))
    html = response.content.decode()
    assert html.count('class="claim-card contribution') == 3
    assert "Not in the paper." in html and "Rejected" in html and "Pending review" in html
    assert "Hers." not in html
