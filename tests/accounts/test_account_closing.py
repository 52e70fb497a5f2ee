"""Review of issue 16: a staff account is closed by an administrator, never by its owner
(their declarations and "Reviewed by" credits must stay), and a declaration outlives any
attempt to delete its editor."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.urls import reverse

from accounts.account_views import STAFF_CLOSED_BY_ADMIN
from accounts.models import ConflictOfInterestDeclaration as Declaration
from accounts.services import StaffAccount, account_delete

pytestmark = pytest.mark.django_db

DELETE = reverse("account-delete")


def test_a_staff_member_cannot_delete_their_own_account(editor_client, editor):
    Declaration.objects.create(editor=editor, no_conflicts=True)
    page = editor_client.get(DELETE)
    assert page.status_code == 200
    assert STAFF_CLOSED_BY_ADMIN in page.content.decode()
    assert "form" not in page.context or page.context["form"] is None
    response = editor_client.post(
        DELETE, {"password": "pw-editor-1", "confirm": "delete my account"}
    )
    assert response.status_code == 200
    assert STAFF_CLOSED_BY_ADMIN in response.content.decode()
    assert get_user_model().objects.filter(pk=editor.pk).exists()
    assert Declaration.objects.filter(editor=editor).exists()
    assert editor_client.get(reverse("my-contributions")).status_code == 200  # still in


def test_the_service_refuses_a_staff_account(editor):
    with pytest.raises(StaffAccount):
        account_delete(user=editor)
    assert get_user_model().objects.filter(pk=editor.pk).exists()


def test_a_declaration_protects_its_editor_from_deletion(editor):
    declaration = Declaration.objects.create(editor=editor, statement="Shares.")
    with pytest.raises(ProtectedError):
        editor.delete()
    declaration.refresh_from_db()
    assert declaration.editor_id == editor.pk


def test_the_admin_says_why_it_cannot_delete_an_editor_with_declarations(
    editor, django_user_model, client
):
    Declaration.objects.create(editor=editor, no_conflicts=True)
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    url = reverse("admin:auth_user_delete", args=[editor.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["protected"]  # Django's "cannot delete: these would be lost"
    client.post(url, {"post": "yes"})
    assert get_user_model().objects.filter(pk=editor.pk).exists()
