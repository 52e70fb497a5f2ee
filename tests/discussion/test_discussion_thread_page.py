"""The thread page: newest activity first, replies under their comment, forms for members."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from claims.models import Claim
from discussion.models import Comment
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def url(claim, **query):
    base = reverse("claim-discussion", kwargs={"slug": claim.slug})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def at(comment, minutes):
    moment = timezone.now() - timezone.timedelta(minutes=minutes)
    Comment.objects.filter(pk=comment.pk).update(created_at=moment)


def test_it_orders_threads_by_newest_activity(client, claim, say):
    old, middle, recent = say("Old thread."), say("Middle thread."), say("Recent thread.")
    at(old, 30)
    at(middle, 20)
    at(recent, 10)
    at(say("A new reply.", parent=old), 1)
    ids = list(Comment.objects.filter(claim=claim).threads().values_list("pk", flat=True))
    assert ids == [old.pk, recent.pk, middle.pk]
    html = client.get(url(claim)).content.decode()
    assert html.index("Old thread.") < html.index("Recent thread.") < html.index("Middle thread.")
    assert html.index("Old thread.") < html.index("A new reply.") < html.index("Recent thread.")


def test_it_shows_anonymous_readers_the_thread_and_a_login_link(client, claim, say):
    say("Readable by all.")
    html = client.get(url(claim)).content.decode()
    assert "Readable by all." in html
    assert "log in</a> to join the discussion" in html and '<textarea name="body"' not in html


def test_it_gives_members_the_form(member_client, claim):
    html = member_client.get(url(claim)).content.decode()
    assert '<textarea name="body"' in html and "Post comment" in html


def test_it_opens_a_reply_form_without_javascript(member_client, claim, say):
    top = say("Top.")
    reply = say("Reply.", parent=top)
    html = member_client.get(url(claim, reply=reply.pk)).content.decode()
    assert f'id="reply-body-{top.pk}"' in html  # a reply to a reply goes under the top one
    assert f'name="parent" value="{top.pk}"' in html


def test_it_gives_htmx_the_reply_form_alone(member_client, claim, say):
    top = say("Top.")
    response = member_client.get(url(claim, reply=top.pk), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.strip().startswith('<form method="post"') and "<html" not in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_it_links_reports_to_the_flag_form(member_client, claim, say):
    comment = say("Reportable.")
    html = member_client.get(url(claim)).content.decode()
    try:
        report = reverse("flag-new", args=("comment", comment.pk))
    except Exception:  # the flags app is built beside this one; no link until it is there
        pytest.skip("flags has no 'flag-new' URL yet")
    assert f'href="{report}"' in html


def test_it_paginates_threads(client, claim, say, django_assert_max_num_queries):
    for n in range(45):
        say(f"Thread {n}.", parent=None)
    with django_assert_max_num_queries(6):
        html = client.get(url(claim, page=3)).content.decode()
    assert "Page 3 of 3" in html and html.count('class="thread"') == 5


def test_it_404s_a_draft_claims_thread(client, editor_client):
    draft = make_claim(slug="draft", status=Claim.Status.DRAFT)
    assert client.get(url(draft)).status_code == 404
    assert editor_client.get(url(draft)).status_code == 404


@pytest.mark.parametrize(
    "query", ["page=abc", "page=-1", "page=99999999999999999999", "reply=abc", "reply=0",
              "reply=99999", "reply=%00", "reply=1e9"],
)  # fmt: skip
def test_it_never_500s_on_junk_in_the_query(client, member_client, claim, say, query):
    say("Anything.")
    for browser in (client, member_client):
        response = browser.get(url(claim) + "?" + query)
        assert response.status_code in (200, 400), query


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"body": "x", "parent": "abc"},
        {"body": "x", "parent": "-4"},
        {"body": "x", "parent": "99999999999999999999999"},
        {"body": "nul \x00 here"},
        {"body": ["a", "b"]},
        {"body": "x" * 20000},
    ],
)
def test_it_never_500s_on_junk_posted(member_client, claim, data):
    post = reverse("comment-post", kwargs={"slug": claim.slug})
    for headers in ({}, {"HX-Request": "true"}):
        response = member_client.post(post, data, headers=headers)
        assert response.status_code in (200, 302, 400), data


def test_it_opens_no_reply_form_for_anonymous_readers(client, claim, say):
    top = say("Top.")
    html = client.get(url(claim, reply=top.pk)).content.decode()
    assert "reply-form" not in html and "Log in to reply" in html


def test_it_credits_authors_by_display_name_without_a_query_each(
    client, claim, say, django_user_model, django_assert_max_num_queries
):
    for n in range(10):
        user = django_user_model.objects.create_user(f"user{n}", f"u{n}@example.org", "pw-x-12345")
        Profile.objects.create(user=user, display_name=f"Dr Number {n}")
        say(f"Comment {n}.", by=user)
    with django_assert_max_num_queries(5):
        html = client.get(url(claim)).content.decode()
    assert all(f"Dr Number {n}" in html for n in range(10))
    assert "user3" not in html


def test_its_time_elements_carry_valid_html_datetimes(client, claim, say, member_client):
    import re

    say("Timed.")
    html = client.get(reverse("claim-discussion", kwargs={"slug": claim.slug})).content.decode()
    html += client.get(claim.get_absolute_url()).content.decode()
    values = re.findall(r'<time datetime="([^"]*)"', html)
    assert values
    for value in values:  # at most 3 fractional digits (here none), an offset
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", value), value
