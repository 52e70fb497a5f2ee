"""Two editors accepting one suggestion at the same moment produce one change: the suggestion's
row is locked and its status checked under the lock (PostgreSQL row locks). On SQLite the
sequential case runs: the second accept, from a stale copy, finds it already accepted."""

import threading

import pytest
from django.conf import settings
from django.db import connections

from claims.models import Claim
from suggestions.models import Suggestion
from suggestions.services import (
    NOT_PENDING,
    SuggestionError,
    suggestion_accept,
    suggestion_create,
)
from tests.factories import make_claim


@pytest.fixture
def editors(django_user_model):
    return [django_user_model.objects.create_user(f"editor{i}", is_staff=True) for i in range(2)]


def accepted_changes(claim) -> int:
    return Claim.history.filter(id=claim.pk, history_change_reason="suggestion").count()


@pytest.mark.django_db
def test_a_second_accept_from_a_stale_copy_sees_already_accepted(member, editors):
    claim = make_claim()
    suggestion = suggestion_create(
        user=member, target=claim, proposed={"summary": "Once."}, rationale="Why."
    )
    copies = [Suggestion.objects.get(pk=suggestion.pk) for _ in editors]
    suggestion_accept(suggestion=copies[0], editor=editors[0])
    with pytest.raises(SuggestionError) as error:
        suggestion_accept(suggestion=copies[1], editor=editors[1])
    assert str(error.value) == NOT_PENDING.format(status="accepted")
    assert accepted_changes(claim) == 1


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: SQLite has no SELECT … FOR UPDATE row locks",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_accepting_at_once_make_one_change(member, editors):
    claim = make_claim()
    suggestion = suggestion_create(
        user=member, target=claim, proposed={"summary": "Once."}, rationale="Why."
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(editor):
        try:
            mine = Suggestion.objects.get(pk=suggestion.pk)  # each editor's own open page
            barrier.wait(timeout=10)
            suggestion_accept(suggestion=mine, editor=editor)
            outcomes.append("accepted")
        except SuggestionError as error:
            outcomes.append(f"refused: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(editor,)) for editor in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["accepted", "refused: This suggestion has already been accepted."]
    assert accepted_changes(claim) == 1
    assert Suggestion.objects.get(pk=suggestion.pk).status == "accepted"
