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
    assert response.status_code == 400
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
    assert 'data-hx-swap-oob="afterbegin:#threads"' in html
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


# Replies to hidden comments, and parents that are not comments here.


def thread_url(claim):
    return reverse("claim-discussion", kwargs={"slug": claim.slug})


def test_it_refuses_a_reply_to_a_hidden_comment(claim, member, say, editor):
    top = say("Top.", hidden=True, hidden_reason="Off topic.")
    reply = say("A reply.", parent=top)
    for parent in (top, reply):
        with pytest.raises(ValidationError) as error:
            comment_post(claim=claim, user=member, body="Reply.", parent=parent)
        assert error.value.messages == [services.PARENT_HIDDEN]
    hidden_reply = say("Hidden reply.", parent=say("Shown top."), hidden=True, hidden_reason="x")
    with pytest.raises(ValidationError):
        comment_post(claim=claim, user=member, body="Reply.", parent=hidden_reply)


def test_it_offers_no_reply_on_a_hidden_thread(claim, member_client, say):
    top = say("Top.", hidden=True, hidden_reason="Off topic.")
    say("A reply.", parent=top)
    shown = say("Shown.")
    html = member_client.get(thread_url(claim)).content.decode()
    assert f"?reply={top.pk}" not in html and f"?reply={shown.pk}" in html
    opened = member_client.get(thread_url(claim), {"reply": top.pk})
    assert f'id="reply-body-{top.pk}"' not in opened.content.decode()
    htmx = member_client.get(thread_url(claim), {"reply": top.pk}, headers={"HX-Request": "true"})
    assert f'id="reply-body-{top.pk}"' not in htmx.content.decode()


def test_it_refuses_a_posted_reply_to_a_hidden_comment_with_a_clear_error(
    claim, member_client, say
):
    top = say("Top.", hidden=True, hidden_reason="Off topic.")
    response = member_client.post(post_url(claim), {"body": "Mine.", "parent": top.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert services.PARENT_HIDDEN in html and "Mine." in html
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("parent", ["abc", "-1", "0", "999999"])
def test_it_answers_400_with_a_clear_error_to_a_bad_parent(claim, member_client, parent):
    response = member_client.post(post_url(claim), {"body": "Kept.", "parent": parent})
    assert response.status_code == 400
    html = response.content.decode()
    assert services.PARENT_ELSEWHERE in html and "Kept.</textarea>" in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize("parent", ["abc", "0", "999999"])
def test_it_shows_a_bad_parent_error_to_htmx(claim, member_client, parent):
    response = member_client.post(
        post_url(claim), {"body": "Kept.", "parent": parent}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert services.PARENT_ELSEWHERE in html and "Kept.</textarea>" in html
    assert not Comment.objects.exists()


# A double post (same author, claim and text within a minute) is saved once.


def test_it_saves_a_double_post_once(claim, member, settings):
    settings.COMMENTS_PER_HOUR = 1
    first = comment_post(claim=claim, user=member, body="Same text.")
    again = comment_post(claim=claim, user=member, body="  Same text. ")
    assert again.pk == first.pk and Comment.objects.count() == 1


def test_it_saves_the_same_text_again_after_a_minute(claim, member):
    from datetime import timedelta

    first = comment_post(claim=claim, user=member, body="Same text.")
    Comment.objects.filter(pk=first.pk).update(created_at=first.created_at - timedelta(seconds=61))
    assert comment_post(claim=claim, user=member, body="Same text.").pk != first.pk


def test_a_double_post_redirects_to_the_first(claim, member_client):
    member_client.post(post_url(claim), {"body": "Twice."})
    response = member_client.post(post_url(claim), {"body": "Twice."})
    first = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{first.pk}")


# After an htmx post: the thread count is current, focus goes where the reader must look.

HX = {"HX-Request": "true"}


def test_it_updates_the_thread_count_after_an_htmx_post(claim, member_client, say):
    say("Older.")
    page = member_client.get(thread_url(claim)).content.decode()
    assert '<span id="thread-count">1 thread</span>' in page
    html = member_client.post(post_url(claim), {"body": "New."}, headers=HX).content.decode()
    assert '<span id="thread-count" data-hx-swap-oob="true">2 threads</span>' in html


def test_it_focuses_the_new_comment_after_an_htmx_post(claim, member_client, say):
    html = member_client.post(post_url(claim), {"body": "New."}, headers=HX).content.decode()
    comment = Comment.objects.get()
    assert f'id="comment-{comment.pk}" tabindex="-1" autofocus' in html
    assert html.count("autofocus") == 1
    top = comment
    html = member_client.post(
        post_url(claim), {"body": "Reply.", "parent": top.pk}, headers=HX
    ).content.decode()
    reply = Comment.objects.get(parent=top)
    assert f'id="comment-{reply.pk}" tabindex="-1" autofocus' in html
    assert html.count("autofocus") == 1


def test_it_focuses_the_error_summary_after_a_refused_htmx_post(claim, member_client, say):
    html = member_client.post(post_url(claim), {"body": " "}, headers=HX).content.decode()
    assert 'role="alert" tabindex="-1" autofocus' in html and services.BODY_REQUIRED in html
    assert html.count("autofocus") == 1
    top = say("Top.")
    html = member_client.post(
        post_url(claim), {"body": " ", "parent": top.pk}, headers=HX
    ).content.decode()
    assert 'role="alert" tabindex="-1" autofocus' in html and html.count("autofocus") == 1


def test_it_focuses_the_reply_textarea_when_the_form_loads(claim, member_client, say):
    top = say("Top.")
    html = member_client.get(thread_url(claim), {"reply": top.pk}, headers=HX).content.decode()
    assert f'id="reply-body-{top.pk}" rows="3"' in html and " autofocus" in html
    assert html.count("autofocus") == 1


def test_an_htmx_double_post_adds_no_second_copy(claim, member_client):
    member_client.post(post_url(claim), {"body": "Twice."}, headers=HX)
    html = member_client.post(post_url(claim), {"body": "Twice."}, headers=HX).content.decode()
    assert "Your comment is posted." in html and "afterbegin:#threads" not in html
    assert Comment.objects.count() == 1
