"""The admin for editors (issue 18): branded with the site's name, an index that counts the
work awaiting an editor, each count linking to the list of the same rows, and the actions'
messages in the singular or the plural ("Rejected 1 submission", not "1 submission(s)")."""

import re

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from claims.models import Claim
from claims.services import analysis_publish, claim_rescore
from community.admin import rejected_message
from discussion.admin import hidden_message, unhidden_message
from flags.models import Flag
from studies.admin import fetch_queued_message, fetched_message, reviewed_message
from studies.admin_import import ris_imported_message
from suggestions.models import Suggestion
from tests.factories import link, make_claim, make_study, make_submission

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


@pytest.fixture
def work(member):
    """One of each kind of pending work, and some that is done (which is not counted)."""
    claim = make_claim()
    link(claim, make_study(doi="10.1000/one"), certainty="moderate")
    claim_rescore(claim=claim)
    analysis_publish(claim=claim, summary="On one study.")
    # A second link appraised after the analysis: it is out of date.
    link(claim, make_study(doi="10.1000/two"), certainty="low")
    link(claim, make_study(doi="10.1000/new"), appraisal_status="awaiting")
    make_submission(claim, member)
    make_submission(claim, member, doi="10.1000/gone", status="rejected")
    Flag.objects.create(target=claim, flagged_by=member, reason="wrong_design")
    Suggestion.objects.create(
        content_type=ContentType.objects.get_for_model(Claim),
        object_id=claim.pk,
        claim=claim,
        changes={"summary": {"from": "", "to": "A summary."}},
        rationale="Clearer.",
        suggested_by=member,
    )
    return claim


def dashboard(response) -> dict[str, tuple[int, str]]:
    """What the index's "Pending work" table says: label → (count, link)."""
    table = re.search(r'<div class="module pending-work">(.*?)</table>', response, re.S).group(1)
    rows = re.findall(r'<a href="([^"]+)">([^<]+)</a></th><td>(\d+)</td>', table)
    return {label: (int(count), href.replace("&amp;", "&")) for href, label, count in rows}


def test_it_brands_the_admin_with_the_site_name(editor_client):
    page = editor_client.get(INDEX).content.decode()
    assert f"{settings.SITE_NAME} editors" in re.search(r"<title>(.*?)</title>", page).group(1)
    assert f'<a href="/admin/">{settings.SITE_NAME} editors</a>' in page
    assert "Django administration" not in page


def test_it_counts_each_kind_of_pending_work(editor_client, work):
    counts = dashboard(editor_client.get(INDEX).content.decode())
    assert {label: count for label, (count, _) in counts.items()} == {
        "Pending submissions": 1,
        "Links awaiting appraisal": 1,
        "Open flags": 1,
        "Pending suggested edits": 1,
        "Out-of-date analyses": 1,
    }


def test_each_count_links_to_a_list_of_as_many_rows(editor_client, work):
    for label, (count, href) in dashboard(editor_client.get(INDEX).content.decode()).items():
        response = editor_client.get(href)
        assert response.status_code == 200, label
        assert response.context["cl"].result_count == count, label


def test_it_counts_nothing_when_nothing_waits(editor_client):
    counts = dashboard(editor_client.get(INDEX).content.decode())
    assert counts and all(count == 0 for count, _ in counts.values())


def test_it_pluralises_the_admin_actions_messages():
    assert rejected_message(1) == "Rejected 1 submission; the members see your note."
    assert rejected_message(2) == "Rejected 2 submissions; the members see your note."
    assert hidden_message(1).startswith("Hid 1 comment;")
    assert unhidden_message(3) == "Showed 3 comments again."
    assert fetched_message(1) == "Updated 1 study from Crossref."
    assert fetched_message(2) == "Updated 2 studies from Crossref."
    assert reviewed_message(2) == "Marked 2 retraction changes as reviewed."
    assert fetch_queued_message(2).startswith("Queued 2 Crossref fetches:")
    assert ris_imported_message(1, 0) == "Imported 1 new study; 0 duplicates not imported."
