"""The reader's flag form (issue 16): the target once, short and plain; a reported comment's
text, escaped; a Cancel link; an open flag told up front; focus on the first error."""

import re

import pytest
from django.urls import reverse

from discussion.services import comment_post
from flags.services import flag_open
from tests.factories import make_study

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def form_url(kind, target) -> str:
    return reverse("flag-new", args=[kind, target.pk])


@pytest.mark.parametrize("htmx", [False, True])
def test_the_intro_names_the_target_once_short_and_plain(member_client, htmx):
    title = "Creatine in older adults: " + "a long subtitle " * 20
    study = make_study(doi="10.1000/long", title=title)
    headers = HTMX if htmx else {}
    html = member_client.get(form_url("study", study), headers=headers).content.decode()
    assert html.count("Creatine in older adults") == 1
    assert title.strip() not in html  # truncated
    assert "the study “Creatine in older adults: a long" in html
    assert "with The study" not in html and "About: " not in html
    assert "Cancel</a>" in html


def test_a_comment_report_shows_the_comment_escaped(member_client, claim, django_user_model):
    author = django_user_model.objects.create_user("writer")
    comment = comment_post(claim=claim, user=author, body="Rude <script>x()</script> words " * 30)
    html = member_client.get(form_url("comment", comment), headers=HTMX).content.decode()
    assert "Rude &lt;script&gt;x()&lt;/script&gt; words" in html
    assert "<script>x()" not in html
    assert html.count("Rude ") < 30  # truncated


@pytest.mark.parametrize("htmx", [False, True])
def test_a_reader_with_an_open_flag_is_told_on_get(member_client, member, study, htmx):
    flag = flag_open(user=member, target=study, reason="retracted")
    headers = HTMX if htmx else {}
    html = member_client.get(form_url("study", study), headers=headers).content.decode()
    assert f"You flagged this on {flag.created_at:%-d %B %Y}; an editor will look at it." in html
    assert 'name="reason"' not in html


def autofocused(html: str) -> list[str]:
    return re.findall(r"<[^>]*\bautofocus\b[^>]*>", html)


def test_after_an_error_focus_goes_to_the_first_invalid_field(member_client, study):
    html = member_client.post(form_url("study", study), {}, headers=HTMX).content.decode()
    focused = autofocused(html)
    assert focused and all('name="reason"' in tag for tag in focused)
    assert "flag-about" not in " ".join(focused)
    assert "<script" not in html


def test_a_refusal_gets_an_alert_with_the_focus(member_client, member, study):
    flag_open(user=member, target=study, reason="retracted")
    data = {"reason": "retracted"}
    html = member_client.post(form_url("study", study), data, headers=HTMX).content.decode()
    focused = autofocused(html)
    assert len(focused) == 1 and 'role="alert"' in focused[0]


def test_without_errors_the_intro_takes_the_focus(member_client, study):
    html = member_client.get(form_url("study", study), headers=HTMX).content.decode()
    assert [tag for tag in autofocused(html) if "flag-about" in tag]
