"""The claim page's discussion section: the count and the last comments, for every reader, in
the page cached for anonymous readers, moved by every write of a comment."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from discussion.services import comment_hide, comment_post
from tests.factories import make_study

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def open_verdict(settings):
    settings.FULL_VERDICT_REQUIRES_LOGIN = False


def page(client, claim) -> str:
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_an_anonymous_reader_the_count_and_the_last_three(client, claim, say):
    for n in range(1, 6):
        say(f"Comment number {n}.")
    html = page(client, claim)
    assert "Discussion (5 comments)" in html
    assert all(f"Comment number {n}." in html for n in (3, 4, 5))
    assert "Comment number 2." not in html
    assert html.index("Comment number 5.") < html.index("Comment number 3.")  # newest first
    assert reverse("claim-discussion", kwargs={"slug": claim.slug}) in html
    assert "csrf" not in html.lower()  # still one page for every anonymous reader


def test_it_invites_the_first_comment(client, claim):
    html = page(client, claim)
    assert "Discussion (0 comments)" in html and "Start the discussion" in html


def test_it_updates_the_cached_page_after_a_post(client, claim, member):
    assert "Discussion (0 comments)" in page(client, claim)
    before = Claim.objects.get(pk=claim.pk).cache_version
    comment_post(claim=claim, user=member, body="Fresh news.")
    assert Claim.objects.get(pk=claim.pk).cache_version != before
    html = page(client, claim)
    assert "Discussion (1 comment)" in html and "Fresh news." in html


def test_it_updates_the_cached_page_after_a_hide_and_a_delete(client, claim, say, editor):
    comment = say("Soon hidden.")
    assert "Soon hidden." in page(client, claim)
    comment_hide(comment=comment, editor=editor, reason="Off topic.")
    html = page(client, claim)
    assert "Soon hidden." not in html and "Hidden by an editor: Off topic." in html
    comment.delete()
    assert "Discussion (0 comments)" in page(client, claim)


def test_it_credits_a_deleted_member_as_a_former_member(client, claim, say, django_user_model):
    leaver = django_user_model.objects.create_user("leaver", "l@example.org", "pw-leaver-1")
    say("I was here.", by=leaver)
    assert "leaver" in page(client, claim)
    leaver.delete()
    html = page(client, claim)
    assert "I was here." in html and "a former member" in html and "leaver" not in html


def test_it_links_a_known_study_from_the_claim_page(client, claim, say):
    study = make_study(doi="10.1000/on-page")
    say("See 10.1000/on-page.")
    assert f'<a href="{study.link_url}">10.1000/on-page</a>' in page(client, claim)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("reader", ["anonymous", "member"])
def test_it_costs_one_query_whatever_the_number_of_comments(
    reader, client, member_client, claim, say
):
    browser = member_client if reader == "member" else client
    quiet = claim
    busy = Claim.objects.create(
        slug="busy", statement="S.", plain_statement="P.", claim_type=claim.claim_type,
        status=Claim.Status.PUBLISHED,
    )  # fmt: skip
    say("One.", on=quiet)
    for n in range(50):
        top = say(f"Comment {n}.", on=busy)
        say("A reply.", on=busy, parent=top)
    assert count(browser, quiet.get_absolute_url()) == count(browser, busy.get_absolute_url())


def test_it_reads_nothing_more_from_a_warm_fragment(member_client, claim, say):
    say("Cached.")
    first = count(member_client, claim.get_absolute_url())
    assert count(member_client, claim.get_absolute_url()) < first
