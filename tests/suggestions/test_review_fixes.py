"""Issue 16 review: no deleting in the admin, the reviewed page, the member's own view and
withdrawing, missing fields, sample size, display names, focus after the htmx form."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.models import Claim
from community.models import Submission
from core.display_names import FORMER_MEMBER
from studies.models import Study
from suggestions.models import Suggestion
from suggestions.services import STALE, suggestion_accept, suggestion_create, suggestion_reject
from tests.factories import assert_scores_current, link, make_claim, make_study, make_submission

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:suggestions_suggestion_changelist")
SUBMISSIONS = reverse("admin:community_submission_changelist")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def claim():
    return make_claim(plain_statement="Creatine helps older adults build muscle.")


@pytest.fixture
def other_editor(django_user_model, editor):
    other = django_user_model.objects.create_user("editor2", password="pw-editor-2", is_staff=True)
    other.groups.set(editor.groups.all())
    return other


def suggest(user, target, **proposed):
    return suggestion_create(user=user, target=target, proposed=proposed, rationale="Why.")


def review_url(suggestion):
    return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])


def html_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


# 1. No deleting suggestions or submissions in the admin: rejecting with a note is the way.


def test_editors_cannot_delete_a_suggestion_from_the_admin(editor_client, member, claim):
    suggestion = suggest(member, claim, plain_statement="New.")
    delete_url = reverse("admin:suggestions_suggestion_delete", args=[suggestion.pk])
    assert editor_client.get(delete_url).status_code == 403
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert "delete_selected" not in html_of(editor_client.get(QUEUE))
    editor_client.post(
        QUEUE, {"action": "delete_selected", "_selected_action": [suggestion.pk], "post": "yes"}
    )
    assert Suggestion.objects.filter(pk=suggestion.pk).exists()


def test_not_even_a_superuser_deletes_a_suggestion(client, member, claim):
    root = get_user_model().objects.create_superuser("root", "r@example.org", "pw-root-1")
    client.force_login(root)
    suggestion = suggest(member, claim, plain_statement="New.")
    delete_url = reverse("admin:suggestions_suggestion_delete", args=[suggestion.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Suggestion.objects.filter(pk=suggestion.pk).exists()


def test_editors_cannot_delete_a_submission_from_the_admin(editor_client, member, claim):
    submission = make_submission(claim, member)
    delete_url = reverse("admin:community_submission_delete", args=[submission.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert "delete_selected" not in html_of(editor_client.get(SUBMISSIONS))
    editor_client.post(
        SUBMISSIONS,
        {"action": "delete_selected", "_selected_action": [submission.pk], "post": "yes"},
    )
    assert Submission.objects.filter(pk=submission.pk).exists()


# 2. The review page of a reviewed suggestion shows what the member saw, not a stale warning.


def test_an_accepted_suggestion_shows_what_the_member_saw_and_who_accepted(
    editor_client, editor, member, claim
):
    suggestion = suggest(member, claim, plain_statement="Creatine helps adults build muscle.")
    suggestion_accept(suggestion=suggestion, editor=editor)
    html = html_of(editor_client.get(review_url(suggestion)))
    assert "has changed since the suggestion was made" not in html
    assert "<del>older</del>" in html  # the member's starting text beside the proposed one
    assert "Value the member saw" in html
    assert "Accepted" in html and "by editor" in html


def test_a_rejected_suggestion_shows_the_reviewer_and_the_note(
    editor_client, other_editor, member, claim
):
    suggestion = suggest(member, claim, plain_statement="Creatine helps adults build muscle.")
    Claim.objects.filter(pk=claim.pk).update(plain_statement="Someone else's newer text.")
    suggestion_reject(suggestion=suggestion, editor=other_editor, note="Not in the trials.")
    html = html_of(editor_client.get(review_url(suggestion)))
    assert "has changed since" not in html
    assert "<del>older</del>" in html
    assert "by editor2" in html and "Not in the trials." in html


def test_a_pending_suggestion_still_warns_when_stale(editor_client, member, claim):
    suggestion = suggest(member, claim, plain_statement="Member's text.")
    Claim.objects.filter(pk=claim.pk).update(plain_statement="Newer text.")
    assert STALE.format(current="Newer text.") in html_of(editor_client.get(review_url(suggestion)))


# 3. Members see what they proposed, whether it was overtaken, and may withdraw it.

CONTRIBUTIONS = reverse("my-suggestions")


def test_my_suggestions_show_each_field_from_and_to(member_client, member, claim):
    suggest(member, claim, plain_statement="Creatine helps adults build muscle.")
    html = html_of(member_client.get(CONTRIBUTIONS))
    assert "<del>older</del>" in html
    assert "Creatine helps adults build muscle." in html.replace("<del>older</del> ", "")


def test_my_suggestions_say_when_a_pending_one_is_overtaken(member_client, member, claim):
    suggest(member, claim, plain_statement="Member's text.")
    assert "The text has changed since" not in html_of(member_client.get(CONTRIBUTIONS))
    Claim.objects.filter(pk=claim.pk).update(plain_statement="Newer text.")
    html = html_of(member_client.get(CONTRIBUTIONS))
    assert "The text has changed since: an editor may reject this; suggest again" in html


def test_my_suggestions_run_a_fixed_number_of_queries(
    member_client, member, claim, settings, django_assert_max_num_queries
):
    settings.SUGGESTIONS_PER_HOUR = 100
    study = make_study()
    evidence = link(claim, study)
    for i in range(12):
        target, field = [(claim, "summary"), (study, "journal"), (evidence, "finding")][i % 3]
        suggest(member, target, **{field: f"v{i}"})
    with django_assert_max_num_queries(12):
        assert member_client.get(CONTRIBUTIONS).status_code == 200


def withdraw_url(suggestion):
    return reverse("suggestion-withdraw", args=[suggestion.pk])


def test_a_member_withdraws_their_pending_suggestion(member_client, member, claim):
    suggestion = suggest(member, claim, plain_statement="New.")
    assert f'action="{withdraw_url(suggestion)}"' in html_of(member_client.get(CONTRIBUTIONS))
    response = member_client.post(withdraw_url(suggestion))
    assert response.status_code == 302 and response["Location"] == CONTRIBUTIONS
    stored = Suggestion.objects.get(pk=suggestion.pk)
    assert stored.status == "withdrawn"
    html = html_of(member_client.get(CONTRIBUTIONS))
    assert "Withdrawn" in html and f'action="{withdraw_url(suggestion)}"' not in html


def test_withdrawing_is_post_only_and_own_only(member_client, member, editor, claim):
    suggestion = suggest(editor, claim, plain_statement="New.")
    assert member_client.get(withdraw_url(suggestion)).status_code == 405
    assert member_client.post(withdraw_url(suggestion)).status_code == 404
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"


def test_a_reviewed_suggestion_cannot_be_withdrawn(member_client, member, editor, claim):
    suggestion = suggest(member, claim, plain_statement="New.")
    suggestion_reject(suggestion=suggestion, editor=editor, note="No.")
    response = member_client.post(withdraw_url(suggestion), follow=True)
    assert "already been rejected" in html_of(response)
    assert Suggestion.objects.get(pk=suggestion.pk).status == "rejected"


def test_a_withdrawn_suggestion_cannot_be_accepted(member_client, member, editor, claim):
    suggestion = suggest(member, claim, plain_statement="New.")
    member_client.post(withdraw_url(suggestion))
    from suggestions.services import SuggestionError

    with pytest.raises(SuggestionError):
        suggestion_accept(suggestion=suggestion, editor=editor)
    assert Claim.objects.get(pk=claim.pk).plain_statement == claim.plain_statement


# 4. A field missing from the POST is unchanged.


def test_a_field_left_out_of_the_post_is_not_a_change(member_client, editor):
    study = make_study(authors="Smith J, Jones K", journal="Old journal")
    response = member_client.post(
        reverse("suggestion-new", args=["study", study.pk]),
        {"journal": "New journal", "seen_journal": "Old journal", "rationale": "Typo."},
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.changes == {"journal": {"from": "Old journal", "to": "New journal"}}
    suggestion_accept(suggestion=suggestion, editor=editor)
    assert Study.objects.get(pk=study.pk).authors == "Smith J, Jones K"


# 5. The sample size, with its validation, and a rescore on accepting.


def test_a_member_may_suggest_a_sample_size_and_accepting_rescores(claim, member, editor):
    study = make_study(sample_size=40)
    link(claim, study)
    suggestion = suggest(member, study, sample_size="400")
    assert suggestion.changes == {"sample_size": {"from": 40, "to": 400}}
    suggestion_accept(suggestion=suggestion, editor=editor)
    assert Study.objects.get(pk=study.pk).sample_size == 400
    assert_scores_current()


@pytest.mark.parametrize("bad", ["0", "-3", "many", "2.5"])
def test_a_sample_size_must_be_a_positive_whole_number(member, bad):
    study = make_study(sample_size=40)
    with pytest.raises(ValidationError) as excinfo:
        suggest(member, study, sample_size=bad)
    assert "sample_size" in excinfo.value.message_dict


# 7. A deleted member reads "a former member" everywhere.


def test_the_queue_names_a_deleted_member_a_former_member(editor_client, member, claim):
    suggest(member, claim, plain_statement="New.")
    member.delete()
    html = html_of(editor_client.get(QUEUE))
    assert FORMER_MEMBER in html


def test_the_queue_credits_members_by_their_display_name(editor_client, member, claim):
    from accounts.models import Profile

    Profile.objects.update_or_create(user=member, defaults={"display_name": "Dr Muscle"})
    suggest(member, claim, plain_statement="New.")
    assert "Dr Muscle" in html_of(editor_client.get(QUEUE))


# 8. Focus after the htmx form: the error, else the first invalid field, else the thank-you.


def claim_post(claim, **fields):
    return {
        "plain_statement": claim.plain_statement,
        "summary": claim.summary,
        "seen_plain_statement": claim.plain_statement,
        "seen_summary": claim.summary,
        "rationale": "The trials say so.",
        **fields,
    }


def test_a_non_field_error_is_an_alert_that_takes_the_focus(member_client, claim):
    url = reverse("suggestion-new", args=["claim", claim.pk])
    html = html_of(member_client.post(url, claim_post(claim), **HTMX))  # nothing changed
    assert 'role="alert"' in html
    alert = html.split('role="alert"')[0].rsplit("<", 1)[1] + html.split('role="alert"')[1][:80]
    assert "autofocus" in alert and "nonfield" in alert
    assert html.count("autofocus") == 1
    assert "<script" not in html


def test_a_field_error_puts_the_focus_on_that_field(member_client, claim):
    url = reverse("suggestion-new", args=["claim", claim.pk])
    html = html_of(member_client.post(url, claim_post(claim, plain_statement="")))
    assert html.count("autofocus") == 1
    tag = html.split("autofocus")[0].rsplit("<", 1)[1]
    assert 'name="plain_statement"' in tag


def test_the_thank_you_takes_the_focus(member_client, claim):
    url = reverse("suggestion-new", args=["claim", claim.pk])
    html = html_of(member_client.post(url, claim_post(claim, summary="Better."), **HTMX))
    assert "Thanks" in html and html.count("autofocus") == 1
    assert 'tabindex="-1"' in html


def test_a_member_cannot_clear_a_recorded_sample_size(member):
    study = make_study(sample_size=40)
    with pytest.raises(ValidationError) as excinfo:
        suggest(member, study, sample_size="")
    assert "sample_size" in excinfo.value.message_dict


def test_the_study_form_offers_the_sample_size(member_client):
    study = make_study(sample_size=40)
    html = html_of(member_client.get(reverse("suggestion-new", args=["study", study.pk])))
    assert 'name="sample_size"' in html and 'name="seen_sample_size" value="40"' in html


def test_withdrawing_from_my_contributions_goes_back_there(member_client, member, claim):
    suggestion = suggest(member, claim, plain_statement="New.")
    page = reverse("my-contributions")
    assert 'name="next" value="/accounts/contributions/"' in html_of(member_client.get(page))
    response = member_client.post(withdraw_url(suggestion), {"next": page})
    assert response["Location"] == page


def test_withdrawing_ignores_an_offsite_next(member_client, member, claim):
    suggestion = suggest(member, claim, plain_statement="New.")
    response = member_client.post(withdraw_url(suggestion), {"next": "https://evil.example/"})
    assert response["Location"] == CONTRIBUTIONS
