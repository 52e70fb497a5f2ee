"""Who may open each URL issue 5 adds: anonymous readers, members and editors."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_claim

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = reverse("admin:login")
LOGIN = reverse("login")

# url name, args, then the expected status for anonymous, member, editor
# (302 to the login page for anonymous readers, 302 onwards for a signed-in user at sign-up).
PAGES = [
    ("signup", [], 200, 302, 302),
    ("claim-submit", ["a-claim"], 302, 200, 200),
    ("my-submissions", [], 302, 200, 200),
    ("password_change", [], 302, 200, 200),
    ("password_reset", [], 200, 200, 200),
    ("admin:community_submission_changelist", [], 302, 302, 200),
]


@pytest.fixture
def clients(client, member, editor):
    member_client, editor_client = Client(), Client()
    member_client.force_login(member)
    editor_client.force_login(editor)
    return {"anonymous": client, "member": member_client, "editor": editor_client}


@pytest.mark.parametrize(("name", "args", "for_anonymous", "for_member", "for_editor"), PAGES)
def test_it_lets_each_kind_of_user_in_or_not(
    clients, name, args, for_anonymous, for_member, for_editor
):
    make_claim(slug="a-claim")
    url = reverse(name, args=args)
    expectations = {"anonymous": for_anonymous, "member": for_member, "editor": for_editor}
    for who, expected in expectations.items():
        response = clients[who].get(url)
        assert response.status_code == expected, who
        if who == "anonymous" and expected == 302:
            login = ADMIN_LOGIN if name.startswith("admin:") else LOGIN
            assert response["Location"].startswith(f"{login}?next=")
        if who == "member" and name.startswith("admin:"):
            assert response["Location"].startswith(f"{ADMIN_LOGIN}?next=")
