"""Editors hide a comment with a reason: readers see the reason, the text stays on record."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape

from discussion.models import Comment
from discussion.services import OWN_COMMENT, REASON_REQUIRED, comment_hide, comment_unhide

pytestmark = pytest.mark.django_db

SECRET = "Personal attack on a named researcher."


def thread_html(client, claim) -> str:
    return client.get(reverse("claim-discussion", kwargs={"slug": claim.slug})).content.decode()


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_needs_a_reason_to_hide(say, editor, reason):
    comment = say(SECRET)
    with pytest.raises(ValidationError) as error:
        comment_hide(comment=comment, editor=editor, reason=reason)
    assert error.value.message_dict == {"hidden_reason": [REASON_REQUIRED]}
    assert not Comment.objects.get(pk=comment.pk).hidden


def test_it_keeps_the_text_and_records_who_hid_it(say, editor):
    comment = say(SECRET)
    comment_hide(comment=comment, editor=editor, reason="Personal attack.")
    row = Comment.objects.get(pk=comment.pk)
    assert row.hidden and row.body == SECRET
    assert row.hidden_reason == "Personal attack." and row.hidden_by == editor and row.hidden_at


def test_it_never_shows_the_hidden_text_to_readers(client, member_client, claim, say, editor):
    comment = say(SECRET)
    reply = say("A reply that quotes nothing.", parent=comment)
    comment_hide(comment=comment, editor=editor, reason="Personal attack.")
    for browser in (client, member_client):
        for html in (thread_html(browser, claim), browser.get(claim.get_absolute_url()).content):
            html = html.decode() if isinstance(html, bytes) else html
            assert SECRET not in html
            assert "Hidden by an editor: Personal attack." in html
    assert reply.body in thread_html(client, claim)


def test_it_shows_a_comment_again_keeping_the_record(client, claim, say, editor):
    comment = say(SECRET)
    comment_hide(comment=comment, editor=editor, reason="Checking.")
    comment_unhide(comment=comment, editor=editor)
    row = Comment.objects.get(pk=comment.pk)
    assert not row.hidden and row.hidden_reason == "Checking." and row.hidden_by == editor
    assert SECRET in thread_html(client, claim)


def test_it_refuses_a_hidden_row_without_a_reason_in_the_database(say):
    comment = say(SECRET)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(hidden=True)


# The admin.


def changelist():
    return reverse("admin:discussion_comment_changelist")


def test_it_hides_from_the_admin_action_after_asking_the_reason(editor_client, say, editor):
    comment = say(SECRET)
    data = {"action": "hide_with_reason", "_selected_action": [comment.pk]}
    asked = editor_client.post(changelist(), data)
    assert asked.status_code == 200 and "Reason shown to readers" in asked.content.decode()
    assert SECRET in asked.content.decode()  # the editor reads what they hide
    refused = editor_client.post(changelist(), {**data, "apply": "1", "reason": " "})
    assert escape(REASON_REQUIRED) in refused.content.decode()
    assert not Comment.objects.get(pk=comment.pk).hidden
    done = editor_client.post(changelist(), {**data, "apply": "1", "reason": "Off topic."})
    assert done.status_code == 302
    row = Comment.objects.get(pk=comment.pk)
    assert row.hidden and row.hidden_reason == "Off topic." and row.hidden_by == editor


def test_it_unhides_from_the_admin_action(editor_client, say, editor):
    comment = say(SECRET)
    comment_hide(comment=comment, editor=editor, reason="Off topic.")
    editor_client.post(changelist(), {"action": "unhide", "_selected_action": [comment.pk]})
    assert not Comment.objects.get(pk=comment.pk).hidden


def test_it_hides_from_the_change_page_and_shows_the_text(editor_client, say, editor):
    comment = say(SECRET)
    url = reverse("admin:discussion_comment_change", args=[comment.pk])
    page = editor_client.get(url)
    assert page.status_code == 200 and SECRET in page.content.decode()
    refused = editor_client.post(url, {"hidden": "on", "hidden_reason": ""})
    assert refused.status_code == 200 and escape(REASON_REQUIRED) in refused.content.decode()
    saved = editor_client.post(url, {"hidden": "on", "hidden_reason": "Spam."})
    assert saved.status_code == 302
    row = Comment.objects.get(pk=comment.pk)
    assert row.hidden and row.hidden_by == editor and row.body == SECRET
    hidden_page = editor_client.get(url).content.decode()
    assert SECRET in hidden_page  # still readable by editors


def test_it_lets_no_editor_add_a_comment_in_the_admin(editor_client):
    url = reverse("admin:discussion_comment_add")
    assert editor_client.get(url).status_code == 403


def test_it_keeps_members_out_of_the_admin(member_client, say):
    comment = say(SECRET)
    url = reverse("admin:discussion_comment_change", args=[comment.pk])
    assert member_client.get(url).status_code == 302


def test_it_lets_editors_view_and_hide_but_not_add_or_delete(editor):
    assert editor.has_perms(["discussion.view_comment", "discussion.change_comment"])
    assert not editor.has_perm("discussion.add_comment")
    assert not editor.has_perm("discussion.delete_comment")


# Nobody moderates their own work.


def test_it_refuses_an_editor_hiding_or_unhiding_their_own_comment(say, editor, django_user_model):
    own = say(SECRET, by=editor)
    with pytest.raises(ValidationError) as error:
        comment_hide(comment=own, editor=editor, reason="Second thoughts.")
    assert error.value.messages == [OWN_COMMENT]
    assert not Comment.objects.get(pk=own.pk).hidden
    other = django_user_model.objects.create_user("ed2", "ed2@example.org", "pw-ed2-12345")
    comment_hide(comment=own, editor=other, reason="Off topic.")
    with pytest.raises(ValidationError) as error:
        comment_unhide(comment=Comment.objects.get(pk=own.pk), editor=editor)
    assert error.value.messages == [OWN_COMMENT]
    assert Comment.objects.get(pk=own.pk).hidden


def test_the_admin_action_refuses_own_comments_and_hides_the_others(editor_client, say, editor):
    own, theirs = say("Mine.", by=editor), say(SECRET)
    data = {"action": "hide_with_reason", "_selected_action": [own.pk, theirs.pk]}
    done = editor_client.post(
        changelist(), {**data, "apply": "1", "reason": "Off topic."}, follow=True
    )
    page = done.content.decode()
    assert escape(OWN_COMMENT) in page and "Hid 1 comment;" in page
    assert Comment.objects.get(pk=theirs.pk).hidden and not Comment.objects.get(pk=own.pk).hidden


def test_the_admin_unhide_action_refuses_own_comments(
    editor_client, say, editor, django_user_model
):
    other = django_user_model.objects.create_user("ed2", "ed2@example.org", "pw-ed2-12345")
    own, theirs = say("Mine.", by=editor), say(SECRET)
    for comment in (own, theirs):
        comment_hide(comment=comment, editor=other, reason="Off topic.")
    data = {"action": "unhide", "_selected_action": [own.pk, theirs.pk]}
    page = editor_client.post(changelist(), data, follow=True).content.decode()
    assert escape(OWN_COMMENT) in page and "Showed 1 comment again." in page
    assert Comment.objects.get(pk=own.pk).hidden and not Comment.objects.get(pk=theirs.pk).hidden


def test_the_change_page_refuses_hiding_own_comment(editor_client, say, editor):
    own = say("Mine.", by=editor)
    url = reverse("admin:discussion_comment_change", args=[own.pk])
    response = editor_client.post(url, {"hidden": "on", "hidden_reason": "Oops."})
    assert response.status_code in (200, 302)
    assert not Comment.objects.get(pk=own.pk).hidden
