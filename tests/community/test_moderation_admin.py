"""Moderation in the admin: the pending list, accept, reject with a note."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from claims.models import Claim, Evidence
from claims.verdict_text import verdict_and_certainty as verdict_text
from community.admin import ACCEPTED_MESSAGE, STAYS_PENDING
from community.models import Submission
from community.services import NOT_PENDING, OWN_SUBMISSION, REJECT_NOTE_REQUIRED
from studies import crossref as client_module
from studies.models import Study
from studies.services import DEFAULT_DESIGN
from tests.admin.admin_forms import change_form_data, evidence_url
from tests.factories import assert_scores_current, link, make_claim, make_study, make_submission

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:community_submission_changelist")
REFALO = "10.1080/02640414.2024.2321021"


def action(client, name, submissions, url=CHANGELIST, **extra):
    data = {"action": name, "_selected_action": [s.pk for s in submissions], **extra}
    return client.post(url, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def accept(client, submissions, url=CHANGELIST):
    """The accept action and its confirmation page, confirmed."""
    page = action(client, "accept_selected", submissions, url=url, index=0)
    assert page.status_code == 200
    assert page.templates[0].name == "admin/community/submission/accept_confirmation.html"
    return action(client, "accept_selected", submissions, url=url, confirm="1")


def scores(claim) -> tuple:
    claim = Claim.objects.get(pk=claim.pk)
    return (claim.pro_score, claim.against_score, claim.verdict, claim.certainty)


def test_it_lists_pending_submissions_with_what_a_moderator_needs(editor_client, member, editor):
    claim = make_claim(plain_statement="Failure training builds more muscle.")
    make_submission(claim, member, doi=REFALO, rationale="Same growth **both** ways.")
    make_submission(claim, member, doi="10.5555/done", status="rejected")
    content = editor_client.get(CHANGELIST).content.decode()
    assert REFALO in content
    assert "Failure training builds more muscle." in content
    assert "Contradicts" in content
    assert "Same growth **both** ways." in content
    assert "member" in content
    assert "10.5555/done" not in content
    assert "10.5555/done" in editor_client.get(CHANGELIST + "?status=all").content.decode()


def test_it_refuses_the_moderation_list_to_members_and_readers(member_client):
    response = member_client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert Client().get(CHANGELIST).status_code == 302


def test_it_refuses_staff_without_the_submission_permission(django_user_model):
    staff = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == 403


def test_it_needs_the_change_permission_to_moderate(django_user_model, member):
    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_submission"))
    client = Client()
    client.force_login(viewer)
    submission = make_submission(make_claim(), member)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "accept_selected" not in response.content.decode()
    action(client, "accept_selected", [submission], index=0)
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_it_shows_the_rationale_as_safe_markdown_on_the_change_form(editor_client, member):
    rationale = "**Key** result <script>alert(1)</script>"
    submission = make_submission(make_claim(), member, rationale=rationale)
    url = reverse("admin:community_submission_change", args=[submission.pk])
    content = editor_client.get(url).content.decode()
    assert "<strong>Key</strong>" in content
    assert "<script>alert(1)" not in content


def test_it_accepts_selected_submissions_and_warns_about_the_default_design(
    crossref, editor_client, member
):
    claim = make_claim()
    submission = make_submission(claim, member, doi=REFALO, stance="contradicts")
    response = accept(editor_client, [submission])
    messages = messages_of(response)
    evidence = Evidence.objects.get(claim=claim)
    assert messages[0] == (
        escape(ACCEPTED_MESSAGE.format(doi=REFALO, claim=claim))
        + f' <a href="{evidence_url(evidence)}">Appraise it</a>.'
    )
    assert "awaiting appraisal" in messages[0] and "now scores" not in messages[0]
    assert messages[1].startswith("Check the design of “Similar muscle hypertrophy")
    study = Study.objects.get(doi=REFALO)
    assert study.design == DEFAULT_DESIGN
    assert reverse("admin:studies_study_change", args=[study.pk]) in messages[1]
    submission.refresh_from_db()
    assert submission.status == "accepted"
    assert evidence.appraisal_status == Evidence.Appraisal.AWAITING


@pytest.fixture
def appraised_claim():
    """A claim on one appraised trial, and the known study a member submits against it."""
    claim = make_claim()
    lead = make_study(doi="10.1000/lead", title="Lead trial", sample_size=400)
    link(claim, lead, certainty="", risk_of_bias_judgement="low")
    make_study(doi=REFALO, title="Refalo trial", sample_size=400)
    return claim


def test_the_confirmation_page_says_the_verdict_stays_while_awaiting_appraisal(
    editor_client, member, appraised_claim
):
    claim = Claim.objects.get(pk=appraised_claim.pk)
    submission = make_submission(claim, member, doi=REFALO, stance="contradicts")
    before = scores(claim)
    response = action(editor_client, "accept_selected", [submission], index=0)
    html = response.content.decode()
    assert response.status_code == 200
    expected = (
        f"Verdict and certainty unchanged: {verdict_text(claim.verdict, claim.certainty)} "
        f"(Pro {claim.pro_score}, Against {claim.against_score}); awaiting appraisal"
    )
    assert escape(expected) in html
    assert "Already on the site: Refalo trial" in html
    assert 'name="confirm"' in html
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert scores(claim) == before
    assert Evidence.objects.filter(claim=claim).count() == 1


def test_the_confirmation_page_runs_a_fixed_number_of_queries(editor_client, member):
    def count(submissions) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = action(editor_client, "accept_selected", submissions, index=0)
        assert response.status_code == 200
        return len(queries)

    claims = [make_claim(slug=f"claim-{n}") for n in range(3)]
    for n, claim in enumerate(claims):
        link(claim, make_study(doi=f"10.1000/s{n}", sample_size=100), certainty="")
    submissions = [
        make_submission(claim, member, doi=f"10.1000/new{n}") for n, claim in enumerate(claims)
    ]
    assert count(submissions[:1]) == count(submissions)


def test_accepting_changes_no_score_until_an_editor_appraises_the_evidence(
    editor_client, member, appraised_claim
):
    """The defect: accepting a known study flipped "Strong support 66/0" to "Leaning against
    66/84" at once, on a derived High certainty nobody had judged."""
    claim = appraised_claim
    submission = make_submission(claim, member, doi=REFALO, stance="contradicts")
    before = scores(claim)

    accept(editor_client, [submission])

    assert scores(claim) == before
    evidence = Evidence.objects.get(claim=claim, study__doi=REFALO)
    assert evidence.appraisal_status == Evidence.Appraisal.AWAITING
    assert evidence.added_by == member
    assert_scores_current()

    url = evidence_url(evidence)
    data = change_form_data(editor_client, url, appraisal_status="appraised")
    assert editor_client.post(url, data).status_code == 302
    after = scores(claim)
    assert after[1] > 0 and after != before
    assert_scores_current()


def test_an_editor_cannot_accept_their_own_submission(editor_client, editor, appraised_claim):
    claim = appraised_claim
    submission = make_submission(claim, editor, doi=REFALO, stance="contradicts")
    before = scores(claim)
    page = action(editor_client, "accept_selected", [submission], index=0)
    assert escape(OWN_SUBMISSION) in page.content.decode()
    response = action(editor_client, "accept_selected", [submission], confirm="1")
    (message,) = messages_of(response)
    assert message == f"Not accepted: {REFALO} for “{claim}”. {OWN_SUBMISSION}"
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert Evidence.objects.filter(claim=claim).count() == 1
    assert scores(claim) == before


def test_it_reports_a_crossref_failure_and_keeps_the_submission_pending(
    crossref, editor_client, member
):
    submission = make_submission(make_claim(), member, doi="10.5555/malformed")
    response = accept(editor_client, [submission])
    (message,) = messages_of(response)
    assert client_module.MALFORMED_MESSAGE.format(doi="10.5555/malformed") in message
    assert STAYS_PENDING in message
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert not Evidence.objects.exists()


def test_it_reports_a_submission_that_is_no_longer_pending(editor_client, member, editor):
    submission = make_submission(make_claim(), member, status="rejected")
    response = accept(editor_client, [submission], url=CHANGELIST + "?status=all")
    (message,) = messages_of(response)
    assert message.endswith(NOT_PENDING.format(status="rejected"))


def test_it_asks_for_a_note_before_rejecting(editor_client, member):
    submission = make_submission(make_claim(), member)
    response = action(editor_client, "reject_with_note", [submission], index=0)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Note to the member" in content
    assert 'name="apply"' in content
    submission.refresh_from_db()
    assert submission.status == "pending"

    response = action(editor_client, "reject_with_note", [submission], apply="1", note=" ")
    assert escape(REJECT_NOTE_REQUIRED) in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_it_rejects_with_the_note_the_member_then_reads(editor_client, editor, member):
    claim = make_claim()
    first = make_submission(claim, member, doi="10.5555/one")
    second = make_submission(claim, member, doi="10.5555/two")
    response = action(
        editor_client, "reject_with_note", [first, second], apply="1", note="Animal data only."
    )
    assert messages_of(response) == ["Rejected 2 submissions; the members see your note."]
    for submission in (first, second):
        submission.refresh_from_db()
        assert (submission.status, submission.moderator) == ("rejected", editor)
        assert submission.moderator_note == "Animal data only."
    member_client = Client()
    member_client.force_login(member)
    assert "Animal data only." in member_client.get(reverse("my-submissions")).content.decode()


def test_editors_cannot_add_a_submission_in_the_admin(editor_client, member):
    """The defect: an editor posted a submission "from" a member (submitted_by=<their pk>),
    then accepted and appraised it as someone else's work."""
    claim = make_claim()
    add = reverse("admin:community_submission_add")
    assert editor_client.get(add).status_code == 403
    data = {
        "claim": claim.pk,
        "submitted_by": member.pk,
        "doi": REFALO,
        "stance": "contradicts",
        "rationale": "Forged.",
    }
    assert editor_client.post(add, data).status_code == 403
    assert not Submission.objects.exists()
    assert add not in editor_client.get(CHANGELIST).content.decode()  # no "Add" button


@pytest.fixture
def submitter_client(django_user_model):
    """An editor who submitted a study as a member would."""
    from tests.factories import editors_group

    user = django_user_model.objects.create_user("submitter", password="pw", is_staff=True)
    user.groups.add(editors_group())
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def test_nothing_in_a_submission_is_editable_in_the_change_form(
    editor_client, submitter_client, member
):
    """The defect: the submitter wrote the moderator note on their own pending submission;
    any editor could rewrite it on a moderated one. Only the actions write moderation."""
    own = make_submission(make_claim(), submitter_client.user, stance="supports")
    url = reverse("admin:community_submission_change", args=[own.pk])
    html = submitter_client.get(url).content.decode()
    for name in ("moderator_note", "submitted_by", "status", "moderator", "stance", "claim"):
        assert f'name="{name}"' not in html, name
    assert 'name="_save"' not in html
    forged = {
        "moderator_note": "Looked at it: fine.",
        "submitted_by": member.pk,
        "stance": "contradicts",
        "status": "accepted",
        "moderator": member.pk,
    }
    assert submitter_client.post(url, forged).status_code == 403
    own.refresh_from_db()
    assert (own.moderator_note, own.submitted_by, own.stance, own.status, own.moderator) == (
        "",
        submitter_client.user,
        "supports",
        "pending",
        None,
    )

    rejected = make_submission(make_claim(slug="other"), member, doi="10.5555/other")
    action(editor_client, "reject_with_note", [rejected], apply="1", note="Animal data only.")
    url = reverse("admin:community_submission_change", args=[rejected.pk])
    assert "Animal data only." in editor_client.get(url).content.decode()
    assert editor_client.post(url, {"moderator_note": "Rewritten."}).status_code == 403
    rejected.refresh_from_db()
    assert rejected.moderator_note == "Animal data only."


def test_it_keeps_submissions_in_the_queue_until_moderated(member):
    assert Submission.objects.pending().count() == 0
    make_submission(make_claim(), member)
    assert Submission.objects.pending().count() == 1


def test_it_redirects_the_queue_address_from_before_the_move(editor_client):
    """Submission was in the studies app: an editor's bookmark of the queue still works."""
    response = editor_client.get("/admin/studies/submission/?status=all")
    assert response.status_code == 307  # a POST stays a POST
    assert response["Location"] == f"{CHANGELIST}?status=all"


@pytest.mark.parametrize(
    "old, new",
    [
        ("%25/change/", "%25/change/"),  # a literal % stays encoded
        ("%3Fx%3D1/", "%3Fx%3D1/"),  # an encoded ? stays in the path, not the query
    ],
)
def test_it_redirects_odd_old_addresses_still_encoded(editor_client, old, new):
    response = editor_client.get(f"/admin/studies/submission/{old}")
    assert response["Location"] == f"{CHANGELIST}{new}"
