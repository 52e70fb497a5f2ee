"""Review of issue 16: `manage.py create_editor` gives the editor a display name (the
username unless --display-name says otherwise), so "Reviewed by" shows a chosen name."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Profile
from core.display_names import display_name

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def password(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-editor-pass-9")


def test_an_editor_gets_their_username_as_display_name_by_default(django_user_model):
    call_command("create_editor", username="quinn", email="q@example.org", stdout=None)
    user = django_user_model.objects.get(username="quinn")
    assert Profile.objects.get(user=user).display_name == "quinn"


def test_an_editor_gets_the_display_name_asked_for(django_user_model):
    call_command("create_editor", username="quinn", display_name="Dr Moira Quinn")
    user = django_user_model.objects.select_related("profile").get(username="quinn")
    assert display_name(user) == "Dr Moira Quinn"
    call_command("create_editor", username="quinn", display_name="Prof Moira Quinn")
    assert Profile.objects.get(user=user).display_name == "Prof Moira Quinn"  # updated


def test_promoting_keeps_an_existing_display_name(django_user_model):
    user = django_user_model.objects.create_user("jo", "", "pw")
    Profile.objects.create(user=user, display_name="Jo Lifts")
    call_command("create_editor", username="jo")
    assert Profile.objects.get(user=user).display_name == "Jo Lifts"


def test_a_display_name_taken_by_another_member_is_refused(django_user_model):
    other = django_user_model.objects.create_user("other", "", "pw")
    Profile.objects.create(user=other, display_name="Dr Quinn")
    with pytest.raises(CommandError, match="taken"):
        call_command("create_editor", username="quinn", display_name="dr quinn")
