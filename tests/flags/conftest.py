import pytest

from tests.factories import link, make_claim, make_study


@pytest.fixture
def claim(db):
    return make_claim(slug="flagged-claim")


@pytest.fixture
def study(db):
    return make_study(doi="10.1000/flagged", title="A flagged trial")


@pytest.fixture
def evidence(claim, study):
    return link(claim, study)
