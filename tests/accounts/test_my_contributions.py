"""My contributions: the member's submissions (status first on each card) and follows, with
the account's links; the old address /accounts/submissions/ still answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.follows import follow_claim
from community.services import submission_reject
from tests.factories import make_claim, make_submission

pytestmark = pytest.mark.django_db

URL = reverse("my-contributions")


def test_it_is_at_the_address_the_brief_names():
    assert URL == "/accounts/contributions/"
    assert reverse("my-submissions") == "/accounts/submissions/"


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_it_shows_my_submissions_and_follows_as_cards_status_first(
    member_client, member, editor, django_assert_max_num_queries
):
    claim = make_claim(plain_statement="Creatine helps older adults keep muscle.")
    rejected = make_submission(claim, member, doi="10.5555/mine")
    submission_reject(submission=rejected, moderator=editor, note="Not a **human** study.")
    make_submission(claim, editor, doi="10.5555/someone-else")
    follow_claim(user=member, claim=make_claim(slug="followed", plain_statement="Followed one."))
    few = count_queries(member_client)
    for n in range(5):
        make_submission(make_claim(slug=f"c{n}"), member, doi=f"10.5555/more{n}")
        follow_claim(user=member, claim=make_claim(slug=f"f{n}"))
    # session, user, submissions counted and listed with claims and studies, follows with
    # claims; the flags, suggestions and comments sections count and list theirs: flat.
    with django_assert_max_num_queries(few):
        response = member_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="claim-card contribution"') == 12  # 6 submissions, 6 follows
    card = html[html.index('class="claim-card contribution"') :]
    assert card.index("contribution-status") < card.index("<h3>")  # the status comes first
    assert "Rejected" in html and "Not a <strong>human</strong> study." in html
    assert "10.5555/someone-else" not in html
    assert "Followed one." in html
    for name in ("account-display-name", "account-email", "password_change", "account-delete"):
        assert f'href="{reverse(name)}"' in html
    assert "<table" not in html  # stacked cards: nothing to scroll sideways


def test_the_old_address_still_shows_the_submissions(member_client, member):
    make_submission(make_claim(), member, doi="10.5555/mine")
    response = member_client.get(reverse("my-submissions"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "10.5555/mine" in html
    assert "my-flags-heading" not in html  # the submissions and follows only


def test_it_includes_the_flags_suggestions_and_comments_sections(member_client):
    html = member_client.get(URL).content.decode()
    for heading in ("my-flags-heading", "my-suggestions-heading", "comments-heading"):
        assert f'id="{heading}"' in html


def test_the_navigation_links_to_it(member_client):
    html = member_client.get(reverse("home")).content.decode()
    assert f'href="{URL}">My contributions</a>' in html


def test_it_sends_anonymous_readers_to_log_in(client):
    response = client.get(URL)
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_the_page_opens_with_where_each_part_is_and_how_many(member_client, member):
    """Review: on a phone the page ran to 6,400 px, empty parts before full ones: a contents
    line with each part's count lets a member jump to what they came for."""
    make_submission(make_claim(), member)
    html = member_client.get(reverse("my-contributions")).content.decode()
    contents = html[html.index('aria-label="On this page"') :]
    contents = contents[: contents.index("</nav>")]
    assert '<a href="#submissions-heading">Submissions (1)</a>' in contents
    assert '<a href="#my-flags-heading">Flags (0)</a>' in contents
    assert '<a href="#comments-heading">Comments (0)</a>' in contents
