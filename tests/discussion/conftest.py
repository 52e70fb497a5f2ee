import pytest

from discussion.models import Comment
from tests.factories import make_claim


@pytest.fixture
def claim(db):
    return make_claim(slug="a-claim")


@pytest.fixture
def say(claim, member):
    """Write a comment straight to the database (no service: no rate limit, any time)."""

    def say(body="A comment.", *, on=None, by=member, parent=None, **fields):
        return Comment.objects.create(
            claim=on or claim, author=by, body=body, parent=parent, **fields
        )

    return say
