import pytest
from django.template.loader import render_to_string

from discussion.contributions import contributions
from discussion.services import comment_hide

pytestmark = pytest.mark.django_db


def test_it_lists_a_members_comments_with_excerpts_and_why_hidden(
    say, member, editor, django_assert_max_num_queries
):
    say("**Bold** claim about 10.1000/x. " + "words " * 60)
    hidden = say("Rude words.")
    comment_hide(comment=hidden, editor=editor, reason="Be kind.")
    say("Someone else's.", by=editor)
    with django_assert_max_num_queries(2):
        context = contributions(member)
    assert context["comment_count"] == 2
    assert [c.pk for c in context["comments"]] == [hidden.pk, hidden.pk - 1]
    html = render_to_string("discussion/_my_contributions.html", context)
    assert "Bold claim about 10.1000/x." in html and "<strong>Bold" not in html
    assert "Hidden by an editor" in html and "Be kind." in html
    assert "Someone else" not in html


def test_it_says_when_a_member_has_not_commented(member):
    html = render_to_string("discussion/_my_contributions.html", contributions(member))
    assert "You have not commented yet." in html
