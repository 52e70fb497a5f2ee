"""A taken username is one error, under the username: the display name left empty (which
defaults to the username) is not also refused (the review saw "Choose the name you will be
credited by." beside "A user with that username already exists.")."""

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.test_signup import URL, data

pytestmark = pytest.mark.django_db


def test_a_taken_username_is_the_only_error(client):
    get_user_model().objects.create_user("newcomer", "x@example.org", "pw-1234-abcd")
    errors = client.post(URL, data(display_name="")).context["form"].errors
    assert list(errors) == ["username"]
