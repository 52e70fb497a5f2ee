"""Nobody approves their own work (issue 16, item 5): an editor who submitted a study cannot
accept, reject, appraise or re-judge it, by any path: the services, the submission admin's
change page and bulk actions, the evidence admin's change page and preview, the claim's
evidence inline."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from claims.appraisal import OWN_SUBMISSION as OWN_LINK
from claims.appraisal import evidence_appraise
from claims.models import Claim, Evidence
from community.services import (
    OWN_SUBMISSION,
    SubmissionError,
    submission_accept,
    submission_reject,
)
from studies.models import Study
from tests.admin.admin_forms import change_form_data, evidence_url
from tests.factories import editors_group, link, make_claim, make_study, make_submission

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:community_submission_changelist")
OWN_DOI = "10.5555/own-trial"


@pytest.fixture
def other_editor(django_user_model):
    user = django_user_model.objects.create_user("second", "second@example.org", "pw-2nd-ed1")
    user.is_staff = True
    user.save()
    user.groups.add(editors_group())
    return user


@pytest.fixture
def claim():
    claim = make_claim()
    link(claim, make_study(doi="10.5555/lead", sample_size=400), certainty="")
    return claim


@pytest.fixture
def own_submission(claim, editor):
    """The editor's own submission, of a study already on the site (no Crossref)."""
    make_study(doi=OWN_DOI, title="Own trial", sample_size=300)
    return make_submission(claim, editor, doi=OWN_DOI, stance="contradicts")


@pytest.fixture
def own_link(own_submission, other_editor):
    """The editor's submission, accepted by another editor: awaiting appraisal."""
    return submission_accept(submission=own_submission, moderator=other_editor).evidence


@pytest.fixture
def own_appraised(own_link, other_editor):
    """The same link once the other editor appraised it."""
    return evidence_appraise(evidence=own_link, editor=other_editor, strength="partial")


def stored(evidence) -> dict:
    return Evidence.objects.filter(pk=evidence.pk).values().get()


def scores(claim) -> tuple:
    claim = Claim.objects.get(pk=claim.pk)
    return (claim.pro_score, claim.against_score, claim.verdict, claim.certainty)


def post_action(client, name, submissions, **extra):
    data = {"action": name, "_selected_action": [s.pk for s in submissions], **extra}
    return client.post(CHANGELIST, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# The services


def test_the_services_refuse_accepting_or_rejecting_ones_own_submission(own_submission, editor):
    with pytest.raises(SubmissionError, match=OWN_SUBMISSION):
        submission_accept(submission=own_submission, moderator=editor)
    with pytest.raises(SubmissionError, match=OWN_SUBMISSION):
        submission_reject(submission=own_submission, moderator=editor, note="Not relevant.")
    own_submission.refresh_from_db()
    assert own_submission.status == "pending"


def test_the_appraisal_service_refuses_appraising_ones_own_link(own_link, editor):
    with pytest.raises(ValidationError) as refused:
        evidence_appraise(evidence=own_link, editor=editor)
    assert refused.value.messages == [OWN_LINK]
    assert stored(own_link)["appraisal_status"] == "awaiting"


def test_the_appraisal_service_refuses_re_appraising_it_once_another_appraised_it(
    own_appraised, editor, other_editor
):
    with pytest.raises(ValidationError):
        evidence_appraise(evidence=own_appraised, editor=editor, strength="full")
    assert stored(own_appraised)["strength"] == "partial"
    assert stored(own_appraised)["appraised_by_id"] == other_editor.pk


# The submission admin


def test_the_submission_change_page_is_view_only_for_its_submitter(editor_client, own_submission):
    url = reverse("admin:community_submission_change", args=[own_submission.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = editor_client.post(url, {"status": "accepted", "moderator_note": "Fine."})
    assert response.status_code == 403
    own_submission.refresh_from_db()
    assert own_submission.status == "pending"


def test_the_bulk_accept_refuses_the_own_submission_and_accepts_the_others(
    editor_client, claim, own_submission, member
):
    make_study(doi="10.5555/members", title="Member's trial")
    theirs = make_submission(claim, member, doi="10.5555/members")
    preview = post_action(editor_client, "accept_selected", [own_submission, theirs], index=0)
    assert escape(OWN_SUBMISSION) in preview.content.decode()
    response = post_action(editor_client, "accept_selected", [own_submission, theirs], confirm="1")
    assert f"Not accepted: {OWN_DOI} for “{claim}”. {OWN_SUBMISSION}" in messages_of(response)
    own_submission.refresh_from_db()
    theirs.refresh_from_db()
    assert (own_submission.status, theirs.status) == ("pending", "accepted")
    assert not Evidence.objects.filter(claim=claim, study__doi=OWN_DOI).exists()


def test_the_bulk_reject_refuses_the_own_submission(editor_client, claim, own_submission):
    response = post_action(
        editor_client, "reject_with_note", [own_submission], apply="1", note="Off topic."
    )
    assert f"Not rejected: {OWN_DOI} for “{claim}”. {OWN_SUBMISSION}" in messages_of(response)
    own_submission.refresh_from_db()
    assert own_submission.status == "pending"


# The evidence admin and the claim's inline


def test_the_evidence_change_page_refuses_appraising_ones_own_link(editor_client, own_link):
    url = evidence_url(own_link)
    before = stored(own_link)
    for extra in ({}, {"_preview": "Preview effect"}):
        data = change_form_data(editor_client, url, appraisal_status="appraised")
        response = editor_client.post(url, {**data, **extra})
        assert response.status_code == 200
        assert response.context["adminform"].form.errors == {"appraisal_status": [OWN_LINK]}
    assert stored(own_link) == before


def test_the_evidence_change_page_refuses_re_judging_it_after_another_appraised_it(
    editor_client, own_appraised
):
    url = evidence_url(own_appraised)
    before = stored(own_appraised)
    data = change_form_data(editor_client, url, strength="full")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert OWN_LINK in response.context["adminform"].form.errors["appraisal_status"]
    assert stored(own_appraised) == before


def test_the_evidence_change_page_refuses_changing_its_effect_figures(
    editor_client, own_appraised, claim
):
    """The effect and its CI are the appraisal's inputs too: a CI decides imprecision (a
    GRADE judgement) and the forest plot shows them. The submitter cannot rewrite them."""
    url = evidence_url(own_appraised)
    before, scored = stored(own_appraised), scores(claim)
    data = change_form_data(
        editor_client,
        url,
        outcome="Muscle thickness",
        effect_measure="smd",
        effect_estimate="0.9",
        effect_ci_lower="0.8",
        effect_ci_upper="1.0",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert stored(own_appraised) == before
    assert scores(claim) == scored


def test_the_claim_inline_refuses_appraising_ones_own_link(editor_client, claim, own_link):
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = change_form_data(editor_client, url)
    index = next(i for i in range(2) if str(data[f"evidence-{i}-id"]) == str(own_link.pk))
    data[f"evidence-{index}-appraisal_status"] = "appraised"
    before = stored(own_link)
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert escape(OWN_LINK) in response.content.decode()
    assert stored(own_link) == before


def test_the_claim_inline_refuses_changing_its_effect_figures(editor_client, claim, own_appraised):
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = change_form_data(editor_client, url)
    index = next(i for i in range(2) if str(data[f"evidence-{i}-id"]) == str(own_appraised.pk))
    data[f"evidence-{index}-effect_estimate"] = "0.9"
    data[f"evidence-{index}-effect_measure"] = "smd"
    data[f"evidence-{index}-outcome"] = "Muscle thickness"
    data[f"evidence-{index}-effect_ci_lower"] = "0.8"
    data[f"evidence-{index}-effect_ci_upper"] = "1.0"
    before = stored(own_appraised)
    response = editor_client.post(url, {**data, "_preview": "Preview effect"})
    previewed = response.context.get("previewed", "")
    editor_client.post(url, {**data, "_previewed": previewed})
    assert stored(own_appraised) == before


def test_adding_the_link_by_hand_while_ones_own_submission_waits_is_refused(
    editor_client, claim, own_submission
):
    """Adding the study as an editor would accept one's own submission by another door."""
    study = Study.objects.get(doi=OWN_DOI)
    url = reverse("admin:claims_evidence_add")
    data = change_form_data(
        editor_client,
        url,
        claim=str(claim.pk),
        study=str(study.pk),
        stance="contradicts",
        appraisal_status="appraised",
        certainty="",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert not Evidence.objects.filter(claim=claim, study=study).exists()


def test_another_editor_may_do_each_of_these(own_submission, other_editor, claim):
    accepted = submission_accept(submission=own_submission, moderator=other_editor).evidence
    evidence_appraise(evidence=accepted, editor=other_editor, strength="partial")
    assert stored(accepted)["appraised_by_id"] == other_editor.pk


def test_the_member_side_cannot_reach_any_of_it(member, own_submission):
    client = Client()
    client.force_login(member)
    assert client.get(CHANGELIST).status_code == 302  # to the admin's login


# A former member's submission (their account deleted: submitted_by is None)


def test_the_admin_reads_and_accepts_a_former_members_submission(editor_client, claim, member):
    make_study(doi="10.5555/orphan", title="Orphan trial")
    submission = make_submission(claim, member, doi="10.5555/orphan")
    member.delete()
    submission.refresh_from_db()
    assert submission.submitted_by is None
    assert editor_client.get(CHANGELIST).status_code == 200
    url = reverse("admin:community_submission_change", args=[submission.pk])
    assert editor_client.get(url).status_code == 200
    preview = post_action(editor_client, "accept_selected", [submission], index=0)
    assert preview.status_code == 200
    post_action(editor_client, "accept_selected", [submission], confirm="1")
    submission.refresh_from_db()
    assert submission.status == "accepted"
    evidence = Evidence.objects.get(claim=claim, study__doi="10.5555/orphan")
    assert evidence.added_by is None and evidence.is_awaiting_appraisal
