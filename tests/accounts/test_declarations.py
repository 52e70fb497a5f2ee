"""Conflict-of-interest declarations in the admin: an editor adds their own ("none" or a
statement), never another's, never edits one (a renewal is a new row); the admin index warns
an editor whose declaration is missing or more than a year old. An old declaration warns and
does not block appraising (accounts/admin.py says why)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.admin import DECLARE_FIRST, RENEW
from accounts.models import NONE_OR_STATEMENT
from accounts.models import ConflictOfInterestDeclaration as Declaration
from claims.appraisal import evidence_appraise
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

ADD = reverse("admin:accounts_conflictofinterestdeclaration_add")
LIST = reverse("admin:accounts_conflictofinterestdeclaration_changelist")
INDEX = reverse("admin:index")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def other_editor(django_user_model):
    return django_user_model.objects.create_user("second", "", "pw", is_staff=True)


def test_an_editor_declares_no_conflicts(editor_client, editor):
    response = editor_client.post(ADD, {"no_conflicts": "on", "statement": ""})
    assert response.status_code == 302
    [row] = Declaration.objects.all()
    assert (row.editor, row.no_conflicts, row.statement) == (editor, True, "")
    assert row.is_current()


def test_an_editor_declares_a_statement_and_only_as_themselves(editor_client, editor, other_editor):
    data = {"statement": "Shares in a protein maker.", "editor": str(other_editor.pk)}
    assert editor_client.post(ADD, data).status_code == 302
    [row] = Declaration.objects.all()
    assert row.editor == editor  # whatever was posted
    assert row.summary == "declared: Shares in a protein maker."


@pytest.mark.parametrize("data", [{}, {"no_conflicts": "on", "statement": "Shares."}])
def test_it_wants_none_or_a_statement(editor_client, data):
    response = editor_client.post(ADD, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [NONE_OR_STATEMENT]  # once
    assert not Declaration.objects.exists()


def test_an_editor_sees_only_their_own_and_can_change_none(editor_client, editor, other_editor):
    mine = Declaration.objects.create(editor=editor, no_conflicts=True)
    theirs = Declaration.objects.create(editor=other_editor, statement="Paid talks.")
    listed = editor_client.get(LIST).context["cl"].result_list
    assert list(listed) == [mine]
    other_url = reverse("admin:accounts_conflictofinterestdeclaration_change", args=[theirs.pk])
    assert editor_client.get(other_url).status_code == 302  # not theirs: "doesn't exist"
    own_url = reverse("admin:accounts_conflictofinterestdeclaration_change", args=[mine.pk])
    assert editor_client.post(own_url, {"statement": "Changed."}).status_code == 403
    delete = reverse("admin:accounts_conflictofinterestdeclaration_delete", args=[mine.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert Declaration.objects.count() == 2


def test_a_renewal_is_a_new_row_and_the_latest_is_current(editor_client, editor):
    old = Declaration.objects.create(editor=editor, statement="Old.")
    Declaration.objects.filter(pk=old.pk).update(declared_at=timezone.now() - timedelta(days=400))
    editor_client.post(ADD, {"no_conflicts": "on"})
    assert Declaration.objects.filter(editor=editor).count() == 2
    assert Declaration.objects.filter(editor=editor).first().no_conflicts  # latest first
    assert Declaration.objects.filter(editor=editor).current().count() == 1


def test_the_index_warns_an_editor_without_a_declaration(editor_client, editor):
    assert any(DECLARE_FIRST in m for m in messages_of(editor_client.get(INDEX)))
    Declaration.objects.create(editor=editor, no_conflicts=True)
    assert messages_of(editor_client.get(INDEX)) == []


def test_the_index_warns_an_editor_whose_declaration_is_a_year_old(editor_client, editor):
    row = Declaration.objects.create(editor=editor, no_conflicts=True)
    Declaration.objects.filter(pk=row.pk).update(declared_at=timezone.now() - timedelta(days=365))
    assert any(RENEW in m for m in messages_of(editor_client.get(INDEX)))


def test_an_out_of_date_declaration_does_not_block_appraising(editor, member):
    row = Declaration.objects.create(editor=editor, no_conflicts=True)
    Declaration.objects.filter(pk=row.pk).update(declared_at=timezone.now() - timedelta(days=500))
    evidence = link(
        make_claim(), make_study(), certainty="", appraisal_status="awaiting", added_by=member
    )
    evidence_appraise(evidence=evidence, editor=editor)
    evidence.refresh_from_db()
    assert evidence.appraised_by == editor


def test_members_cannot_reach_the_declarations(member_client):
    assert member_client.get(ADD).status_code == 302  # the admin's login
