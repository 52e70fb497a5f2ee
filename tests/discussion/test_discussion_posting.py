"""Posting a comment or a reply: the service's refusals, then the form with and without htmx."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from claims.models import Claim
from core.limits import RateLimitExceeded
from discussion import services
from discussion.models import BODY_MAX_LENGTH, Comment
from discussion.services import comment_post
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def post_url(claim):
    return reverse("comment-post", kwargs={"slug": claim.slug})


def test_it_posts_a_comment_stripped(claim, member):
    comment = comment_post(claim=claim, user=member, body="  Look at the dose.  \n")
    assert comment.body == "Look at the dose."
    assert comment.author == member and comment.parent is None and not comment.hidden


@pytest.mark.parametrize("body", ["", "   \n\t "])
def test_it_refuses_an_empty_comment(claim, member, body):
    with pytest.raises(ValidationError) as error:
        comment_post(claim=claim, user=member, body=body)
    assert error.value.message_dict == {"body": [services.BODY_REQUIRED]}
    assert not Comment.objects.exists()


def test_it_refuses_a_comment_too_long_after_stripping(claim, member):
    assert comment_post(claim=claim, user=member, body=" " + "a" * BODY_MAX_LENGTH + " ")
    with pytest.raises(ValidationError) as error:
        comment_post(claim=claim, user=member, body="a" * (BODY_MAX_LENGTH + 1))
    assert "body" in error.value.message_dict
    assert Comment.objects.count() == 1


def test_it_limits_a_member_per_hour(claim, member, django_user_model, settings):
    settings.COMMENTS_PER_HOUR = 2
    comment_post(claim=claim, user=member, body="One.")
    comment_post(claim=claim, user=member, body="Two.")
    with pytest.raises(RateLimitExceeded):
        comment_post(claim=claim, user=member, body="Three.")
    other = django_user_model.objects.create_user("other", "o@example.org", "pw-other-1")
    assert comment_post(claim=claim, user=other, body="Someone else may.")


def test_it_counts_only_the_last_hour(claim, member, settings):
    settings.COMMENTS_PER_HOUR = 1
    old = comment_post(claim=claim, user=member, body="Yesterday.")
    Comment.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=2020))
    assert comment_post(claim=claim, user=member, body="Today.")


def test_it_refuses_a_draft_claim(member):
    draft = make_claim(slug="draft", status=Claim.Status.DRAFT)
    with pytest.raises(Http404):
        comment_post(claim=draft, user=member, body="Hello.")


def test_it_refuses_a_reply_to_another_claims_comment(claim, member, say):
    other = make_claim(slug="other")
    elsewhere = say("Elsewhere.", on=other)
    with pytest.raises(ValidationError) as error:
        comment_post(claim=claim, user=member, body="Reply.", parent=elsewhere)
    assert error.value.messages == [services.PARENT_ELSEWHERE]
    assert not Comment.objects.filter(claim=claim).exists()


def test_it_attaches_a_reply_to_a_reply_to_the_top_comment(claim, member, say):
    top = say("Top.")
    reply = comment_post(claim=claim, user=member, body="Reply.", parent=top)
    deeper = comment_post(claim=claim, user=member, body="Reply to reply.", parent=reply)
    assert reply.parent == top and deeper.parent == top


# The form, without JavaScript.


def test_it_redirects_to_the_new_comment_with_a_message(claim, member_client):
    response = member_client.post(post_url(claim), {"body": "First!"}, follow=True)
    comment = Comment.objects.get()
    url = reverse("claim-discussion", kwargs={"slug": claim.slug})
    assert response.redirect_chain == [(f"{url}#comment-{comment.pk}", 302)]
    html = response.content.decode()
    assert "Your comment is posted." in html and "First!" in html


def test_it_keeps_the_typed_text_when_refused(claim, member_client):
    long = "x" * (BODY_MAX_LENGTH + 1)
    response = member_client.post(post_url(claim), {"body": long})
    assert response.status_code == 200
    html = response.content.decode()
    assert long in html and "errorlist" in html
    assert not Comment.objects.exists()


def test_it_says_429_to_a_plain_form_over_the_limit(claim, member_client, settings):
    settings.COMMENTS_PER_HOUR = 0
    response = member_client.post(post_url(claim), {"body": "Kept text."})
    assert response.status_code == 429
    html = response.content.decode()
    assert "the most we accept" in html and "Kept text." in html


def test_it_404s_a_post_on_a_draft(member_client):
    draft = make_claim(slug="draft", status=Claim.Status.DRAFT)
    assert member_client.post(post_url(draft), {"body": "Hi."}).status_code == 404


def test_it_sends_anonymous_readers_to_log_in(claim, client):
    response = client.post(post_url(claim), {"body": "Hi."})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Comment.objects.exists()


def test_it_refuses_a_reply_to_another_claims_comment_in_the_form(claim, member_client, say):
    elsewhere = say("Elsewhere.", on=make_claim(slug="other"))
    response = member_client.post(post_url(claim), {"body": "Mine.", "parent": elsewhere.pk})
    assert response.status_code == 200
    assert services.PARENT_ELSEWHERE in response.content.decode()
    assert Comment.objects.count() == 1


# With htmx.


def test_it_swaps_the_new_thread_in_and_clears_the_form(claim, member_client):
    response = member_client.post(
        post_url(claim), {"body": "Via **htmx**."}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    comment = Comment.objects.get()
    assert "<html" not in html
    assert 'id="post-comment"' in html and "Your comment is posted." in html
    assert '<textarea name="body"' in html and "Via **htmx**.</textarea>" not in html
    assert 'hx-swap-oob="afterbegin:#threads"' in html
    assert f'id="thread-{comment.pk}"' in html and "<strong>htmx</strong>" in html


def test_it_swaps_the_thread_whole_after_a_reply(claim, member_client, say):
    top = say("Top.")
    response = member_client.post(
        post_url(claim), {"body": "A reply.", "parent": top.pk}, headers={"HX-Request": "true"}
    )
    assert response["HX-Retarget"] == f"#thread-{top.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert html.strip().startswith(f'<li class="thread" id="thread-{top.pk}">')
    assert "Top." in html and "A reply." in html


def test_it_shows_htmx_errors_in_the_form_with_a_200(claim, member_client, settings):
    settings.COMMENTS_PER_HOUR = 0
    response = member_client.post(
        post_url(claim), {"body": "Kept."}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<div id="post-comment"')
    assert "the most we accept" in html and "Kept.</textarea>" in html


def test_it_keeps_a_refused_reply_in_its_slot(claim, member_client, say):
    top = say("Top.")
    response = member_client.post(
        post_url(claim), {"body": "   ", "parent": top.pk}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'class="form reply-form"' in html and services.BODY_REQUIRED in html
    assert "HX-Retarget" not in response
