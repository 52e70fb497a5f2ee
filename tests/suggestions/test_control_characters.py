"""Issue 19 review: a member's suggestion holding invisible control characters (U+001E, U+000B)
was accepted as typed; once an editor accepted it, both Atom feeds answered 500 (XML 1.0 cannot
carry them). The form refuses them by name; the feeds drop any that reach them another way."""

import pytest
from django.urls import reverse

from claims.models import Claim
from suggestions.models import Suggestion
from tests.factories import link, make_claim, make_study
from tests.suggestions.test_suggestion_views import post, url

pytestmark = pytest.mark.django_db


def test_the_form_refuses_a_control_character_by_name(member_client):
    claim = make_claim()
    response = member_client.post(
        url("claim", claim.pk), post(claim, plain_statement="X\x1eraises Y.")
    )
    assert response.status_code == 200
    assert "invisible control character (U+001E CONTROL CHARACTER)" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_the_feeds_drop_what_xml_cannot_carry(client):
    claim = make_claim()
    link(claim, make_study(doi="10.1000/x"), certainty="high")
    Claim.objects.filter(pk=claim.pk).update(
        plain_statement="X\x1e raises\x0b Y.", headline="Head\x01line"
    )
    for path in ("/feeds/claims.atom", reverse("claim-feed", args=[claim.slug])):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert "\x1e" not in body and "\x0b" not in body and "\x01" not in body
