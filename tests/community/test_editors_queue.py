"""The editors' one queue (issue 16): pending submissions, open flags (comment reports with
the comment's text) and pending suggestions, each linking to its action page, the editor's
own work marked; the admin index links to it with the count. Flat query count."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from claims.models import Claim
from community.queue import OWN_SUBMISSION, OWN_SUGGESTION
from discussion.services import comment_post
from flags.services import OWN_WORK, flag_open
from suggestions.models import Suggestion
from tests.factories import link, make_claim, make_study, make_submission

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin-queue")


def suggest(claim, user, statement="A fairer wording.") -> Suggestion:
    return Suggestion.objects.create(
        content_type=ContentType.objects.get_for_model(Claim),
        object_id=claim.pk,
        claim=claim,
        changes={"plain_statement": {"from": claim.plain_statement, "to": statement}},
        rationale="The wording overstates it.",
        suggested_by=user,
    )


def fill(n, django_user_model):
    """n of each kind: a submission, a flag on an evidence link, a study, a claim, a comment
    report, a suggestion."""
    start = django_user_model.objects.count()
    for i in range(start, start + n):
        reader = django_user_model.objects.create_user(f"reader-{i}")
        claim = make_claim(slug=f"queued-{i}")
        study = make_study(title=f"Study {i}", doi=f"10.1000/q{i}")
        make_submission(claim, reader, doi=f"10.1000/sub{i}", title=f"Submitted {i}")
        flag_open(user=reader, target=link(claim, study), reason="wrong_stance")
        flag_open(user=reader, target=study, reason="retracted")
        flag_open(user=reader, target=claim, reason="overstated")
        comment = comment_post(claim=claim, user=reader, body=f"Rude comment number {i}.")
        reporter = django_user_model.objects.create_user(f"reporter-{i}")
        flag_open(user=reporter, target=comment, reason="abuse")
        suggest(claim, reader)


def test_the_queue_lists_everything_awaiting_with_action_links(
    editor_client, member, django_user_model
):
    claim = make_claim(slug="one")
    submission = make_submission(claim, member, title="A new trial")
    author = django_user_model.objects.create_user("writer")
    comment = comment_post(claim=claim, user=author, body="You are all <em>fools</em>.")
    flag = flag_open(user=member, target=comment, reason="abuse")
    suggestion = suggest(claim, member)
    response = editor_client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A new trial" in html
    assert f"{reverse('admin:community_submission_changelist')}?id__exact={submission.pk}" in html
    assert reverse("admin:flags_flag_resolve", args=[flag.pk]) in html
    assert "You are all &lt;em&gt;fools&lt;/em&gt;." in html  # the comment's text, escaped
    assert reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]) in html
    assert "Submissions (1)" in html and "Suggested edits (1)" in html
    assert "Flags and comment reports (1)" in html
    assert "queue-own" not in html


def test_rows_of_the_editors_own_work_are_marked(editor_client, editor, member):
    claim = make_claim(slug="mine")
    make_submission(claim, editor, title="My trial")
    suggest(claim, editor)
    comment = comment_post(claim=claim, user=editor, body="My comment.")
    flag_open(user=member, target=comment, reason="abuse")
    html = editor_client.get(QUEUE).content.decode()
    assert html.count('class="queue-row queue-own"') == 3
    assert OWN_SUBMISSION in html and OWN_SUGGESTION in html and OWN_WORK in html


def test_the_queue_is_oldest_first(editor_client, member, django_user_model):
    claim = make_claim(slug="order")
    other = django_user_model.objects.create_user("other")
    first = make_submission(claim, member, doi="10.1000/first", title="First in")
    make_submission(claim, other, doi="10.1000/second", title="Second in")
    html = editor_client.get(QUEUE).content.decode()
    assert html.index(first.title) < html.index("Second in")


def test_the_queue_costs_the_same_queries_for_30_of_each(
    editor_client, member, django_user_model, django_assert_max_num_queries
):
    fill(1, django_user_model)
    with django_assert_max_num_queries(30) as few:
        assert editor_client.get(QUEUE).status_code == 200
    fill(30, django_user_model)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(QUEUE)
    assert sum(len(group.rows) for group in response.context["groups"]) == 31 * 6


def test_the_admin_index_links_to_the_queue_with_the_count(editor_client, member):
    claim = make_claim(slug="counted")
    make_submission(claim, member)
    flag_open(user=member, target=claim, reason="overstated")
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert f'href="{QUEUE}"' in html
    assert "Awaiting an editor: 2" in html


def test_the_declaration_warning_still_shows_on_the_index(editor_client):
    response = editor_client.get(reverse("admin:index"), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("declaration" in m.lower() for m in messages)


def test_members_and_visitors_are_sent_to_the_admin_login(member_client, client):
    for visitor in (member_client, client):
        response = visitor.get(QUEUE)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_every_admin_page_links_the_queue_in_its_top_bar(editor_client):
    html = editor_client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert f'<a href="{reverse("admin-queue")}">Queue</a>' in html
