"""An editor never resolves a flag about their own work (issue 16): their comment, an evidence
link they added or that came from their submission, a study they submitted. The resolve page
shows the refusal and the comment's text with a link to hide it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from discussion.services import comment_post
from flags.models import Flag
from flags.services import OWN_WORK, flag_open, flag_resolve
from tests.factories import make_submission

pytestmark = pytest.mark.django_db


def resolve_url(flag) -> str:
    return reverse("admin:flags_flag_resolve", args=[flag.pk])


@pytest.fixture
def own_comment(editor, claim):
    return comment_post(claim=claim, user=editor, body="Nothing *wrong* with my comment.")


def own_targets(kind, editor, claim, study, evidence, own_comment):
    if kind == "comment":
        return own_comment
    if kind == "evidence_added":
        evidence.added_by = editor
        evidence.save(update_fields=["added_by"])
        return evidence
    if kind == "evidence_submitted":
        make_submission(claim, editor, doi=study.doi, status="accepted", study=study)
        return evidence
    make_submission(claim, editor, doi=study.doi, status="accepted", study=study)
    return study


@pytest.mark.parametrize(
    "kind", ["comment", "evidence_added", "evidence_submitted", "study_submitted"]
)
def test_an_editor_cannot_resolve_a_flag_about_their_own_work(
    kind, editor, member, claim, study, evidence, own_comment
):
    target = own_targets(kind, editor, claim, study, evidence, own_comment)
    reason = "abuse" if kind == "comment" else "other"
    flag = flag_open(user=member, target=target, reason=reason, note="Look at this.")
    with pytest.raises(ValidationError) as refused:
        flag_resolve(flag=flag, editor=editor, outcome="no_change", note="Nothing wrong.")
    assert refused.value.messages == [OWN_WORK]
    assert Flag.objects.get(pk=flag.pk).is_open


def test_another_editors_work_is_resolvable(editor, member, evidence, django_user_model):
    other = django_user_model.objects.create_user("other-editor", is_staff=True)
    evidence.added_by = other
    evidence.save(update_fields=["added_by"])
    flag = flag_open(user=member, target=evidence, reason="wrong_stance")
    flag_resolve(flag=flag, editor=editor, outcome="fixed", note="Fixed the stance.")
    assert not Flag.objects.get(pk=flag.pk).is_open


def test_the_resolve_page_refuses_and_the_queue_still_lists_it(editor_client, member, own_comment):
    flag = flag_open(user=member, target=own_comment, reason="abuse")
    page = editor_client.get(resolve_url(flag)).content.decode()
    assert OWN_WORK in page
    assert 'name="outcome"' not in page
    posted = editor_client.post(resolve_url(flag), {"outcome": "no_change", "note": "Fine."})
    assert OWN_WORK in posted.content.decode()
    assert Flag.objects.get(pk=flag.pk).is_open
    listed = editor_client.get(reverse("admin:flags_flag_changelist"))
    assert flag in listed.context["cl"].result_list


def test_the_resolve_page_shows_the_comment_and_a_way_to_hide_it(
    editor_client, member, claim, django_user_model
):
    author = django_user_model.objects.create_user("writer")
    comment = comment_post(claim=claim, user=author, body="You are all idiots.<script>x()</script>")
    flag = flag_open(user=member, target=comment, reason="abuse")
    page = editor_client.get(resolve_url(flag)).content.decode()
    assert "You are all idiots." in page
    assert "<script>x()" not in page  # through the markdown sanitiser
    assert reverse("admin:discussion_comment_change", args=[comment.pk]) in page
