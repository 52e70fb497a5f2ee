"""suggestion_create / suggestion_accept / suggestion_reject."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.models import Claim, Evidence
from core.audit import split_reason
from core.limits import RateLimitExceeded
from studies.models import Study
from suggestions.models import Suggestion
from suggestions.services import (
    FIELD_NOT_SUGGESTIBLE,
    NOT_PENDING,
    NOT_SUGGESTIBLE,
    NOTHING_CHANGED,
    OWN_SUGGESTION,
    RATE_LIMITED,
    RATIONALE_REQUIRED,
    RATIONALE_TOO_LONG,
    REJECT_NOTE_REQUIRED,
    TARGET_GONE,
    SuggestionError,
    suggestion_accept,
    suggestion_create,
    suggestion_reject,
)
from tests.factories import assert_scores_current, link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    return make_claim(summary="Most trials found X raises Y.")


@pytest.fixture
def study():
    return make_study(title="A trial of X", journal="J Sci", year=2020, volume="4")


def suggest(user, target, rationale="The paper says so.", **proposed):
    return suggestion_create(user=user, target=target, proposed=proposed, rationale=rationale)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# Creating


def test_it_keeps_only_the_changed_fields(claim, member):
    suggestion = suggest(
        member, claim, plain_statement="X raises Y a little.", summary=claim.summary
    )
    assert suggestion.changes == {
        "plain_statement": {"from": "X makes Y go up.", "to": "X raises Y a little."}
    }
    assert (suggestion.status, suggestion.claim, suggestion.suggested_by) == (
        "pending",
        claim,
        member,
    )


def test_it_treats_crlf_and_surrounding_space_as_no_change(claim, member):
    with pytest.raises(ValidationError) as error:
        suggest(member, claim, plain_statement="  X makes Y go up.\r\n", summary=claim.summary)
    assert error.value.messages == [NOTHING_CHANGED]


def test_it_refuses_a_suggestion_that_changes_nothing(claim, member):
    with pytest.raises(ValidationError) as error:
        suggest(member, claim, plain_statement=claim.plain_statement)
    assert error.value.messages == [NOTHING_CHANGED]
    assert not Suggestion.objects.exists()


def test_it_requires_a_rationale(claim, member):
    with pytest.raises(ValidationError) as error:
        suggest(member, claim, rationale="   ", plain_statement="New.")
    assert errors_of(error) == {"rationale": [RATIONALE_REQUIRED]}


def test_it_refuses_a_rationale_over_2000_characters(claim, member):
    with pytest.raises(ValidationError) as error:
        suggest(member, claim, rationale="x" * 2001, plain_statement="New.")
    assert errors_of(error) == {"rationale": [RATIONALE_TOO_LONG]}


def test_it_refuses_a_blank_plain_wording(claim, member):
    with pytest.raises(ValidationError) as error:
        suggest(member, claim, plain_statement="  ")
    assert list(errors_of(error)) == ["plain_statement"]


def test_it_refuses_a_title_longer_than_the_field(study, member):
    with pytest.raises(ValidationError) as error:
        suggest(member, study, title="t" * 501)
    assert "at most 500 characters" in errors_of(error)["title"][0]


@pytest.mark.parametrize("year", ["1599", "abc", "2999", "-3"])
def test_it_refuses_a_year_out_of_range(study, member, year):
    with pytest.raises(ValidationError) as error:
        suggest(member, study, year=year)
    assert list(errors_of(error)) == ["year"]


def test_it_accepts_a_year_as_text_and_stores_a_number(study, member):
    suggestion = suggest(member, study, year="2021", journal="J Sci")
    assert suggestion.changes == {"year": {"from": 2020, "to": 2021}}


def test_it_lets_a_member_clear_an_optional_year(study, member):
    suggestion = suggest(member, study, year="")
    assert suggestion.changes == {"year": {"from": 2020, "to": None}}


def test_it_refuses_a_finding_longer_than_the_field(claim, study, member):
    evidence = link(claim, study)
    with pytest.raises(ValidationError) as error:
        suggest(member, evidence, finding="f" * 501)
    assert list(errors_of(error)) == ["finding"]


def test_it_reports_every_field_error_at_once(study, member):
    with pytest.raises(ValidationError) as error:
        suggest(member, study, rationale="", title="", year="1000")
    assert set(errors_of(error)) == {"rationale", "title", "year"}


def test_it_refuses_a_field_members_cannot_change(study, member):
    with pytest.raises(ValidationError) as error:
        suggest(member, study, design="meta_analysis")
    assert error.value.messages == [FIELD_NOT_SUGGESTIBLE.format(name="design")]


def test_it_refuses_a_draft_claim_and_its_links(member, study):
    draft = make_claim(slug="draft", status=Claim.Status.DRAFT)
    for target in (draft, link(draft, study)):
        with pytest.raises(ValidationError) as error:
            suggest(member, target, plain_statement="New.")
        assert error.value.messages == [NOT_SUGGESTIBLE]


def test_it_refuses_an_unknown_target(member, django_user_model):
    for target in (None, django_user_model.objects.create_user("other")):
        with pytest.raises(ValidationError) as error:
            suggest(member, target, username="x")
        assert error.value.messages == [NOT_SUGGESTIBLE]


def test_it_limits_suggestions_per_member_per_hour(claim, member, editor, settings):
    settings.SUGGESTIONS_PER_HOUR = 2
    suggest(member, claim, plain_statement="One.")
    suggest(member, claim, plain_statement="Two.")
    with pytest.raises(RateLimitExceeded) as error:
        suggest(member, claim, plain_statement="Three.")
    assert error.value.messages == [RATE_LIMITED.format(limit=2)]
    suggest(editor, claim, plain_statement="Another member's is fine.")


def test_it_records_a_field_that_changed_while_the_form_was_open_as_seen(claim, member):
    suggestion = suggestion_create(
        user=member,
        target=claim,
        proposed={"plain_statement": "Mine."},
        rationale="Why.",
        seen={"plain_statement": "The wording the member read."},
    )
    assert suggestion.changes["plain_statement"]["from"] == "The wording the member read."


# Accepting


@pytest.fixture
def other_editor(django_user_model, editor):
    user = django_user_model.objects.create_user("editor2", is_staff=True)
    user.groups.set(editor.groups.all())
    return user


def test_accepting_applies_the_change_and_records_the_path_and_editor(claim, member, editor):
    suggestion = suggest(member, claim, plain_statement="X raises Y a little.")
    suggestion_accept(suggestion=suggestion, editor=editor)

    claim.refresh_from_db()
    assert claim.plain_statement == "X raises Y a little."
    assert (suggestion.status, suggestion.reviewed_by) == ("accepted", editor)
    record = Claim.history.filter(id=claim.pk).latest("history_date")
    assert record.plain_statement == "X raises Y a little."
    assert split_reason(record.history_change_reason) == ("suggestion", "")
    assert record.history_user == editor


def test_accepting_a_claim_edit_makes_an_open_admin_form_stale(claim, member, editor):
    before = claim.lock_version
    suggestion_accept(suggestion=suggest(member, claim, summary="New."), editor=editor)
    assert Claim.objects.get(pk=claim.pk).lock_version == before + 1


def test_accepting_a_finding_moves_the_page_and_bumps_the_lock(claim, study, member, editor):
    evidence = link(claim, study, finding="Old finding.")
    claim.refresh_from_db()
    version, lock = claim.cache_version, claim.lock_version
    suggestion_accept(suggestion=suggest(member, evidence, finding="New finding."), editor=editor)

    assert Evidence.objects.get(pk=evidence.pk).finding == "New finding."
    claim.refresh_from_db()
    assert claim.cache_version != version
    assert claim.lock_version > lock
    record = Evidence.history.filter(id=evidence.pk).latest("history_date")
    assert (split_reason(record.history_change_reason)[0], record.history_user) == (
        "suggestion",
        editor,
    )
    assert_scores_current()


def test_accepting_a_study_edit_moves_the_pages_of_its_claims(claim, study, member, editor):
    link(claim, study)
    version = Claim.objects.get(pk=claim.pk).cache_version
    suggestion = suggest(member, study, year="2021", title="A trial of X, corrected")
    suggestion_accept(suggestion=suggestion, editor=editor)

    study.refresh_from_db()
    assert (study.year, study.title) == (2021, "A trial of X, corrected")
    assert Claim.objects.get(pk=claim.pk).cache_version != version
    record = Study.history.filter(id=study.pk).latest("history_date")
    assert split_reason(record.history_change_reason)[0] == "suggestion"
    assert_scores_current()


def test_accepting_refuses_a_field_changed_since_the_suggestion(claim, member, editor):
    suggestion = suggest(member, claim, plain_statement="Member's wording.")
    Claim.objects.filter(pk=claim.pk).update(plain_statement="An editor's newer wording.")

    with pytest.raises(SuggestionError) as error:
        suggestion_accept(suggestion=suggestion, editor=editor)
    assert str(error.value) == (
        "Plain statement: This field has changed since the suggestion was made: it now reads "
        "“An editor's newer wording.”."
    )
    assert Claim.objects.get(pk=claim.pk).plain_statement == "An editor's newer wording."
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"


def test_accepting_refuses_ones_own_suggestion(claim, editor):
    suggestion = suggest(editor, claim, plain_statement="Mine.")
    with pytest.raises(SuggestionError) as error:
        suggestion_accept(suggestion=suggestion, editor=editor)
    assert str(error.value) == OWN_SUGGESTION
    assert Claim.objects.get(pk=claim.pk).plain_statement == "X makes Y go up."


def test_a_second_accept_finds_it_already_accepted(claim, member, editor, other_editor):
    suggestion = suggest(member, claim, plain_statement="Once.")
    stale_copy = Suggestion.objects.get(pk=suggestion.pk)  # the other editor's open page
    suggestion_accept(suggestion=suggestion, editor=editor)
    Claim.objects.filter(pk=claim.pk).update(plain_statement="Edited after.")

    with pytest.raises(SuggestionError) as error:
        suggestion_accept(suggestion=stale_copy, editor=other_editor)
    assert str(error.value) == NOT_PENDING.format(status="accepted")
    assert Claim.objects.get(pk=claim.pk).plain_statement == "Edited after."
    assert Claim.history.filter(id=claim.pk, history_change_reason="suggestion").count() == 1


def test_accepting_refuses_when_the_target_was_deleted(claim, study, member, editor):
    evidence = link(claim, study)
    suggestion = suggest(member, evidence, finding="New.")
    evidence.delete()
    with pytest.raises(SuggestionError) as error:
        suggestion_accept(suggestion=suggestion, editor=editor)
    assert str(error.value) == TARGET_GONE


# Rejecting


def test_rejecting_needs_a_note(claim, member, editor):
    suggestion = suggest(member, claim, plain_statement="No.")
    with pytest.raises(SuggestionError) as error:
        suggestion_reject(suggestion=suggestion, editor=editor, note="  ")
    assert str(error.value) == REJECT_NOTE_REQUIRED
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"


def test_rejecting_keeps_the_note_and_changes_nothing(claim, member, editor):
    suggestion = suggest(member, claim, plain_statement="No.")
    suggestion_reject(suggestion=suggestion, editor=editor, note="The paper says otherwise.")
    stored = Suggestion.objects.get(pk=suggestion.pk)
    assert (stored.status, stored.review_note, stored.reviewed_by) == (
        "rejected",
        "The paper says otherwise.",
        editor,
    )
    assert Claim.objects.get(pk=claim.pk).plain_statement == "X makes Y go up."


def test_rejecting_refuses_ones_own_suggestion(claim, editor):
    suggestion = suggest(editor, claim, plain_statement="Mine.")
    with pytest.raises(SuggestionError) as error:
        suggestion_reject(suggestion=suggestion, editor=editor, note="Never mind.")
    assert str(error.value) == OWN_SUGGESTION


def test_a_rejected_suggestion_cannot_be_accepted(claim, member, editor):
    suggestion = suggest(member, claim, plain_statement="No.")
    suggestion_reject(suggestion=suggestion, editor=editor, note="No.")
    with pytest.raises(SuggestionError) as error:
        suggestion_accept(suggestion=suggestion, editor=editor)
    assert str(error.value) == NOT_PENDING.format(status="rejected")


# Credits


def test_accepted_suggestions_for_a_claim_credit_its_members(claim, study, member, editor):
    link(claim, study)
    other = make_claim(slug="other")
    accepted = [
        suggest(member, claim, plain_statement="Claim."),
        suggest(member, study, title="Study."),
    ]
    for suggestion in accepted:
        suggestion_accept(suggestion=suggestion, editor=editor)
    suggest(member, claim, summary="Pending.")
    suggestion_accept(suggestion=suggest(member, other, summary="Elsewhere."), editor=editor)

    credited = Suggestion.objects.accepted_for_claim(claim)
    assert set(credited) == set(accepted)
    assert {s.suggested_by for s in credited} == {member}


def test_deleting_an_accepted_suggestion_moves_its_claims_page(claim, member, editor):
    suggestion = suggest(member, claim, summary="Credited.")
    suggestion_accept(suggestion=suggestion, editor=editor)
    version = Claim.objects.get(pk=claim.pk).cache_version
    Suggestion.objects.get(pk=suggestion.pk).delete()  # the credit goes with it
    assert Claim.objects.get(pk=claim.pk).cache_version != version


def test_a_pending_suggestion_leaves_the_page_cache_alone(claim, member):
    version = Claim.objects.get(pk=claim.pk).cache_version
    suggest(member, claim, summary="Pending.")
    assert Claim.objects.get(pk=claim.pk).cache_version == version


def test_the_claims_changes_page_lists_an_accepted_suggestion(client, member, editor):
    """Review: every Changes page of a claim touched by an accepted suggestion answered 500
    (the path "suggestion" was unknown to it)."""
    claim = make_claim(slug="suggested")
    suggestion = suggestion_create(
        user=member,
        target=claim,
        proposed={"plain_statement": "X may make Y go up."},
        rationale="Says no more than the trial showed.",
    )
    suggestion_accept(suggestion=suggestion, editor=editor)
    response = client.get(reverse("claim-changes", args=[claim.slug]))
    assert response.status_code == 200
    assert "accepting a member&#x27;s suggested edit" in response.content.decode()
