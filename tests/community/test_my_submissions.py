import pytest
from django.urls import reverse

from community.services import submission_reject
from tests.factories import make_claim, make_submission

pytestmark = pytest.mark.django_db

URL = reverse("my-submissions")


def test_it_sends_anonymous_readers_to_log_in_first(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_it_lists_only_my_submissions_with_claim_status_and_note(
    member_client, member, editor, django_assert_max_num_queries
):
    claim = make_claim(plain_statement="Training to failure builds more muscle.")
    mine = make_submission(claim, member, doi="10.5555/mine")
    submission_reject(submission=mine, moderator=editor, note="Not a **human** study.")
    make_submission(claim, member, doi="10.5555/pending")
    make_submission(claim, editor, doi="10.5555/someone-else")
    for n in range(5):
        make_submission(make_claim(slug=f"c{n}"), member, doi=f"10.5555/more{n}")
    # session, user, count, submissions with their claims and studies
    with django_assert_max_num_queries(5):
        response = member_client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Training to failure builds more muscle." in content
    assert "10.5555/mine" in content and "10.5555/pending" in content
    assert "10.5555/someone-else" not in content
    assert "Rejected" in content and "Pending review" in content
    assert "Not a <strong>human</strong> study." in content


def test_it_shows_an_editor_their_own_page(editor_client):
    response = editor_client.get(URL)
    assert response.status_code == 200
    assert "You have not submitted a study yet" in response.content.decode()


def test_it_renders_the_rationale_through_the_markdown_allow_list(member_client, member):
    rationale = 'See [this](javascript:alert(1)) <script>alert("x")</script> **bold**'
    make_submission(make_claim(), member, rationale=rationale)
    content = member_client.get(URL).content.decode()
    assert "<strong>bold</strong>" in content
    assert "<script>alert" not in content
    assert "javascript:" not in content


def test_a_submission_without_a_title_shows_its_doi_once(member_client, member):
    """Review (issue 18): the DOI stood as the heading and again beside the stance."""
    make_submission(make_claim(), member, doi="10.5555/untitled")
    content = member_client.get(URL).content.decode().replace("<wbr>", "")
    assert content.count("10.5555/untitled") == 1
