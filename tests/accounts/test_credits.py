"""The claim page credits its reviewers and contributors (issue 16, item 5): "Reviewed by
<name> (editor) — no conflicts declared / declared: … / declaration out of date" for the staff
in the audit trail of the claim, its evidence and analyses, and "Contributors: …" for members
whose submissions were accepted. A new declaration or a new display name moves the page; the
query count stays flat however many are credited."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ConflictOfInterestDeclaration, Profile
from claims.credits import CONTRIBUTION_RELATIONS, NO_DECLARATION, OUT_OF_DATE
from claims.models import Analysis, Claim, Evidence
from community.services import submission_accept
from core.audit import audit_path
from tests.factories import link, make_claim, make_study, make_submission

pytestmark = pytest.mark.django_db


def page(client, claim) -> str:
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    # The names are in <bdi> (a right-to-left name cannot reorder the line): read the text.
    return re.sub(r"</?bdi>", "", response.content.decode())


def edit_as(user, claim) -> None:
    """An edit by `user` that the audit trail records (as the admin would)."""
    with audit_path("admin", user=user):
        claim = Claim.objects.get(pk=claim.pk)
        claim.summary += " Edited."
        claim.save()


@pytest.fixture
def claim(editor):
    claim = make_claim(slug="credited")
    Profile.objects.create(user=editor, display_name="Dr Quinn")
    edit_as(editor, claim)
    return claim


def declare(editor, statement="", *, days_ago=0):
    row = ConflictOfInterestDeclaration.objects.create(
        editor=editor, no_conflicts=not statement, statement=statement
    )
    if days_ago:  # declared_at is not editable: set it as the past would have
        ConflictOfInterestDeclaration.objects.filter(pk=row.pk).update(
            declared_at=timezone.now() - timedelta(days=days_ago)
        )
    return row


def test_it_credits_the_editor_with_no_declaration_on_record(client, claim):
    assert f"Edited by Dr Quinn (editor) — {NO_DECLARATION}" in page(client, claim)


def test_a_declaration_moves_the_page(client, claim, editor):
    page(client, claim)  # cached now
    declare(editor)
    assert "Edited by Dr Quinn (editor) — no conflicts declared on " in page(client, claim)
    declare(editor, "Paid talks for a supplement maker, 2025.")
    html = page(client, claim)
    assert ": Paid talks for a supplement maker, 2025." in html and " declared on " in html


def test_an_old_declaration_reads_out_of_date(client, claim, editor):
    declare(editor, days_ago=366)
    assert f"Edited by Dr Quinn (editor) — {OUT_OF_DATE}" in page(client, claim)


def test_a_new_display_name_moves_the_page(client, claim, editor):
    page(client, claim)
    profile = editor.profile
    profile.display_name = "Prof Quinn"
    profile.save()
    html = page(client, claim)
    assert "Edited by Prof Quinn (editor)" in html and "Dr Quinn" not in html


def test_it_credits_editors_of_the_evidence_and_the_analyses_but_not_members(
    client, claim, django_user_model, member
):
    second = django_user_model.objects.create_user("second", "", "pw", is_staff=True)
    third = django_user_model.objects.create_user("third", "", "pw", is_staff=True)
    with audit_path("admin", user=second):
        link(claim, make_study(doi="10.5555/one"))
    with audit_path("admin", user=third):
        Analysis.objects.create(claim=claim, version=1)
    edit_as(member, claim)  # not staff: not a reviewer
    html = page(client, claim)
    assert "Edited by second (editor)" in html and "Edited by third (editor)" in html
    assert "Edited by member" not in html


def test_an_editor_who_appraised_a_link_is_credited_for_the_appraisal(client, claim, editor):
    """Review: an editor who only fixed a typo read "Reviewed by", as if they had appraised the
    evidence; the credit now says what the trail shows."""
    html = page(client, claim)
    assert "Edited by Dr Quinn (editor)" in html and "Evidence appraised by" not in html
    evidence = link(claim, make_study(doi="10.1000/appraised"))
    Evidence.objects.filter(pk=evidence.pk).update(appraised_by=editor)
    Claim.objects.filter(pk=claim.pk).touch()
    assert "Evidence appraised by Dr Quinn (editor)" in page(client, claim)


def test_it_credits_members_whose_submissions_were_accepted(client, claim, member, editor):
    Profile.objects.create(user=member, display_name="Lifter Jo")
    make_study(doi="10.5555/accepted")
    accepted = make_submission(claim, member, doi="10.5555/accepted")
    make_submission(claim, member, doi="10.5555/pending")
    assert "Contributors:" not in page(client, claim)
    submission_accept(submission=accepted, moderator=editor)
    html = page(client, claim)
    assert "Contributors: Lifter Jo" in html
    assert "1 community submission awaiting review." in html


def test_it_reads_credits_in_a_flat_number_of_queries(claim, django_user_model, editor):
    def count() -> int:
        Claim.objects.filter(pk=claim.pk).touch()
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(claim.get_absolute_url()).status_code == 200
        return len(queries)

    def credit(n):
        staff = django_user_model.objects.create_user(f"ed{n}", "", "pw", is_staff=True)
        declare(staff, f"Statement {n}")
        edit_as(staff, claim)
        member = django_user_model.objects.create_user(f"m{n}", "", "pw")
        make_study(doi=f"10.5555/s{n}")
        submission_accept(
            submission=make_submission(claim, member, doi=f"10.5555/s{n}"), moderator=editor
        )

    credit(0)  # one of each, so that the page shows the same parts both times
    few = count()
    for n in range(1, 6):
        credit(n)
    assert count() == few


def test_the_hook_for_accepted_suggestions_is_the_relations_tuple():
    assert ("submissions", "submitted_by") in CONTRIBUTION_RELATIONS
