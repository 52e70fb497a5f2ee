"""Review (issue 18): a two-line {# #} comment in the study page's template showed as text on
every study page (Django's {# #} is one line only)."""

import pytest

from tests.factories import make_study

pytestmark = pytest.mark.django_db


def test_no_template_comment_reaches_a_study_page(client):
    study = make_study(doi="10.1000/page", title="A page")
    html = client.get(study.get_absolute_url()).content.decode()
    assert "{#" not in html and "#}" not in html
