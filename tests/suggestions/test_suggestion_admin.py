"""The editors' queue and review page: diff, stale warning, accept, reject with a note."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from claims.models import Claim
from suggestions.models import Suggestion
from suggestions.services import OWN_SUGGESTION, REJECT_NOTE_REQUIRED, suggestion_create
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:suggestions_suggestion_changelist")


@pytest.fixture
def claim():
    return make_claim(plain_statement="Creatine helps older adults build muscle.")


def suggest(user, target, **proposed):
    return suggestion_create(user=user, target=target, proposed=proposed, rationale="**Why.**")


def review_url(suggestion):
    return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])


def test_editors_hold_the_suggestion_permissions(editor):
    codenames = set(
        Permission.objects.filter(
            group__user=editor, content_type__app_label="suggestions"
        ).values_list("codename", flat=True)
    )
    assert {"view_suggestion", "change_suggestion"} <= codenames


def test_members_cannot_open_the_queue(member_client):
    assert member_client.get(QUEUE).status_code == 302


def test_the_queue_lists_pending_first_in_a_bounded_number_of_queries(
    editor_client, member, claim, settings, django_assert_max_num_queries
):
    settings.SUGGESTIONS_PER_HOUR = 100
    study = make_study()
    evidence = link(claim, study)
    targets = [(claim, "summary"), (study, "journal"), (evidence, "finding")]
    made = []
    for i in range(30):
        target, field = targets[i % 3]
        made.append(suggest(member, target, **{field: f"v{i}"}))
    Suggestion.objects.filter(pk=made[-1].pk).update(status="accepted")  # the newest

    # session, user, permissions ×2, count ×2, the page of rows, the filters' counts …
    with django_assert_max_num_queries(12):
        response = editor_client.get(QUEUE)
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert len(shown) == 30
    assert shown[-1].pk == made[-1].pk
    assert {s.status for s in shown[:-1]} == {"pending"}
    assert response.content.decode().count(": finding") >= 10


def test_the_queue_filters_by_target(editor_client, member, claim):
    study = make_study()
    suggest(member, claim, summary="S.")
    suggest(member, study, journal="J.")
    response = editor_client.get(QUEUE, {"target": "study"})
    assert [s.object_id for s in response.context["cl"].result_list] == [study.pk]


def test_the_review_page_shows_a_word_level_diff(editor_client, member, claim):
    suggestion = suggest(member, claim, plain_statement="Creatine helps adults build muscle.")
    html = editor_client.get(review_url(suggestion)).content.decode()
    assert "<del>older</del>" in html
    assert "<ins>" not in html.split('class="diff-after"')[0]
    assert "Current value" in html and "Proposed value" in html
    assert "<strong>Why.</strong>" in html  # the rationale through render_markdown
    assert 'name="accept"' in html and 'name="reject"' in html


def test_the_review_page_escapes_what_the_member_typed(editor_client, member, claim):
    suggestion = suggest(member, claim, plain_statement="<script>alert(1)</script> helps.")
    html = editor_client.get(review_url(suggestion)).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_the_review_page_warns_when_the_field_changed_since(editor_client, member, claim):
    suggestion = suggest(member, claim, plain_statement="Member's text.")
    Claim.objects.filter(pk=claim.pk).update(plain_statement="Newer text.")
    html = editor_client.get(review_url(suggestion)).content.decode()
    assert "This field has changed since the suggestion was made: it now reads “Newer text.”" in (
        html.replace("&#x27;", "'")
    )


def test_accept_applies_it_and_goes_back_to_the_queue(editor_client, member, claim):
    suggestion = suggest(member, claim, plain_statement="New wording.")
    response = editor_client.post(review_url(suggestion), {"accept": "Accept"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert Claim.objects.get(pk=claim.pk).plain_statement == "New wording."
    assert Suggestion.objects.get(pk=suggestion.pk).status == "accepted"


def test_accepting_a_stale_one_says_why_and_changes_nothing(editor_client, member, claim):
    suggestion = suggest(member, claim, plain_statement="Member's text.")
    Claim.objects.filter(pk=claim.pk).update(plain_statement="Newer text.")
    response = editor_client.post(review_url(suggestion), {"accept": "Accept"}, follow=True)
    assert "it now reads" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).plain_statement == "Newer text."


def test_reject_needs_a_note(editor_client, member, claim):
    suggestion = suggest(member, claim, plain_statement="New.")
    response = editor_client.post(review_url(suggestion), {"reject": "Reject", "note": ""})
    assert response.status_code == 200
    assert REJECT_NOTE_REQUIRED in response.content.decode()
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"


def test_reject_with_a_note(editor_client, member, claim):
    suggestion = suggest(member, claim, plain_statement="New.")
    response = editor_client.post(
        review_url(suggestion), {"reject": "Reject", "note": "Not what the trials found."}
    )
    assert response.status_code == 302
    stored = Suggestion.objects.get(pk=suggestion.pk)
    assert (stored.status, stored.review_note) == ("rejected", "Not what the trials found.")


def test_an_editor_cannot_review_their_own(editor_client, editor, claim):
    suggestion = suggest(editor, claim, plain_statement="Mine.")
    html = editor_client.get(review_url(suggestion)).content.decode()
    assert OWN_SUGGESTION in html and 'name="accept"' not in html
    response = editor_client.post(review_url(suggestion), {"accept": "Accept"}, follow=True)
    assert OWN_SUGGESTION in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).plain_statement == claim.plain_statement


@pytest.mark.parametrize("junk", ["999999", "abc", "99999999999999999999999"])
def test_a_junk_id_is_a_redirect_with_a_message_not_a_500(editor_client, junk):
    response = editor_client.get(f"/admin/suggestions/suggestion/{junk}/change/")
    assert response.status_code == 302


def test_the_admin_cannot_add_one(editor_client):
    assert editor_client.get(reverse("admin:suggestions_suggestion_add")).status_code == 403
