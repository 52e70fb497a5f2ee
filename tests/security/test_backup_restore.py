"""`manage.py backup` / `manage.py restore` round-trip the demo data exactly."""

import io

import pytest
from django.core.management import CommandError, call_command

from claims.management.commands.backup import EXCLUDED
from claims.models import Claim

# `flush` cannot run inside a test's transaction on PostgreSQL; serialized_rollback puts the
# migrations' rows (the editors group) back for the tests that follow.
flushing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def snapshot() -> str:
    """Everything a backup covers, serialised the same way every time."""
    out = io.StringIO()
    call_command(
        "dumpdata", exclude=EXCLUDED, natural_foreign=True, natural_primary=True, stdout=out
    )
    return out.getvalue()


@flushing
def test_it_round_trips_the_demo_data_exactly(demo, editor, tmp_path):
    before = snapshot()
    assert Claim.objects.count() == 5
    path = tmp_path / "backup.json"
    call_command("backup", str(path), stdout=io.StringIO())

    with pytest.raises(CommandError, match="already holds"):
        call_command("restore", str(path), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    assert Claim.objects.count() == 0
    call_command("restore", str(path), stdout=io.StringIO())
    assert snapshot() == before

    # The restored database takes new rows (PostgreSQL sequences were moved on).
    claim = Claim.objects.create(
        slug="after-restore", statement="s", plain_statement="p", claim_type="causal"
    )
    assert claim.pk > max(Claim.objects.exclude(pk=claim.pk).values_list("pk", flat=True))


@flushing
def test_it_restores_over_existing_data_only_with_force(demo, tmp_path):
    path = tmp_path / "backup.json"
    call_command("backup", str(path), stdout=io.StringIO())
    before = snapshot()
    Claim.objects.filter(slug__startswith="near").update(topic="changed since the backup")
    call_command("restore", str(path), "--force", stdout=io.StringIO())
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("not json at all", "invalid JSON"),
        ('{"model": "claims.claim"}', "expected a list"),
        ('[{"model": "claims.nosuchmodel", "pk": 1, "fields": {}}]', "could not be loaded"),
        ('[{"model": "claims.claim", "pk": 1, "fields": {"slug": null}}]', "could not be loaded"),
    ],
)
def test_it_explains_a_bad_file_in_one_line(db, tmp_path, content, message):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=message) as error:
        call_command("restore", str(path), stdout=io.StringIO())
    assert "\n" not in str(error.value)
    assert Claim.objects.count() == 0
