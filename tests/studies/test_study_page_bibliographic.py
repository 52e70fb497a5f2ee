"""The study page shows the volume, issue and pages (set by an editor or an accepted
suggestion) in its facts list when they are set."""

import pytest

from tests.factories import make_study

pytestmark = pytest.mark.django_db


def facts_of(client, study) -> str:
    html = client.get(study.get_absolute_url()).content.decode()
    return html.split('<dl class="study-facts">')[1].split("</dl>")[0]


def test_it_shows_volume_issue_and_pages_when_set(client):
    study = make_study(journal="J Appl Physiol", volume="136", issue="4", pages="85–101")
    facts = facts_of(client, study)
    assert "<dt>Volume</dt><dd>136</dd>" in facts
    assert "<dt>Issue</dt><dd>4</dd>" in facts
    assert "<dt>Pages</dt><dd>85–101</dd>" in facts


def test_it_leaves_them_out_when_not_set(client):
    facts = facts_of(client, make_study(journal="J Appl Physiol"))
    assert "Volume" not in facts and "Issue" not in facts and "Pages" not in facts
