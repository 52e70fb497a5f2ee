"""Two editors resolving one flag at once: one resolution (PostgreSQL row locks)."""

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections

from flags.models import Flag
from flags.services import ALREADY_RESOLVED, flag_open, flag_resolve
from tests.factories import make_claim


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: SQLite has no SELECT … FOR UPDATE row locks",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_records_one_resolution_when_two_editors_resolve_at_once(member, django_user_model):
    flag = flag_open(user=member, target=make_claim(), reason="overstated")
    editors = [
        django_user_model.objects.create_user(f"editor-{i}", is_staff=True) for i in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def resolve(editor, outcome):
        try:
            mine = Flag.objects.get(pk=flag.pk)  # each editor's own copy, both open
            barrier.wait(timeout=10)
            flag_resolve(flag=mine, editor=editor, outcome=outcome, note=f"{outcome} by {editor}")
            outcomes.append("resolved")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=resolve, args=(editor, outcome))
        for editor, outcome in zip(editors, ("fixed", "no_change"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == [ALREADY_RESOLVED, "resolved"]
    row = Flag.objects.get(pk=flag.pk)
    assert row.resolution_note == f"{row.outcome} by {row.resolved_by}"  # one editor, whole
