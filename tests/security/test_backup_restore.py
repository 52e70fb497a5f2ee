"""`manage.py backup` / `manage.py restore` round-trip the demo data exactly."""

import io
import json
import threading

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connections

from claims.management.commands.backup import EXCLUDED
from claims.models import Claim
from studies.models import Study

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
@pytest.mark.parametrize("microsecond", [500, 999, 123456])
def test_it_restores_timestamps_to_the_microsecond(demo, tmp_path, microsecond):
    """Django's JSON encoder keeps milliseconds only: a time 0.0005 s past a second came back as
    the second itself, and dumped differently ("…20Z" for "…20.000Z"). A backup keeps all six
    digits, so ETags built from these times and ties between them survive a restore."""
    claim = Claim.objects.order_by("pk").first()
    exact = claim.content_changed_at.replace(microsecond=microsecond)
    Claim.objects.filter(pk=claim.pk).update(content_changed_at=exact, scored_at=exact)
    path = tmp_path / "backup.json"
    call_command("backup", str(path), stdout=io.StringIO())
    call_command("restore", str(path), "--force", stdout=io.StringIO())
    claim.refresh_from_db()
    assert (claim.content_changed_at, claim.scored_at) == (exact, exact)


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


def _backup_with(tmp_path, extra: list[dict]) -> str:
    """A real backup of the current data, with rows appended (after all the good ones, so a
    restore has erased and loaded most of the file before it meets them)."""
    path = tmp_path / "backup.json"
    call_command("backup", str(path), stdout=io.StringIO())
    path.write_text(json.dumps(json.loads(path.read_text()) + extra))
    return str(path)


BAD_ROWS = {
    "unknown model": [{"model": "claims.nosuchmodel", "pk": 1, "fields": {}}],
    "unknown field": [
        {"model": "claims.idealstudy", "pk": 999, "fields": {"claim": 1, "no_such_field": 1}}
    ],
    "value of the wrong type": [
        {"model": "studies.study", "pk": 999, "fields": {"title": "t", "year": "last year"}}
    ],
    "NULL in a required column": [
        {
            "model": "claims.claim",
            "pk": 999,
            "fields": {"slug": None, "statement": "s", "plain_statement": "p"},
        }
    ],
    "reference to a missing row": [
        {
            "model": "claims.idealstudy",
            "pk": 999,
            "fields": {"claim": 987654, "rank": 1, "design": "rct", "description": "d"},
        }
    ],
}


@flushing
@pytest.mark.parametrize("problem", list(BAD_ROWS))
def test_it_changes_nothing_when_a_forced_restore_meets_a_bad_row(demo, tmp_path, problem):
    path = _backup_with(tmp_path, BAD_ROWS[problem])
    Claim.objects.filter(slug__startswith="near").update(topic="changed since the backup")
    before = snapshot()
    with pytest.raises(CommandError, match="could not be loaded") as error:
        call_command("restore", path, "--force", stdout=io.StringIO())
    assert "\n" not in str(error.value)
    assert snapshot() == before
    assert Claim.objects.filter(topic="changed since the backup").exists()


@flushing
def test_it_changes_nothing_when_a_forced_restore_meets_a_duplicate_row(demo, tmp_path):
    """The same claim twice under two ids: the unique slug refuses the second, at the end."""
    call_command("backup", str(tmp_path / "good.json"), stdout=io.StringIO())
    rows = json.loads((tmp_path / "good.json").read_text())
    claim = next(row for row in rows if row["model"] == "claims.claim")
    path = _backup_with(tmp_path, [{**claim, "pk": 987654}])
    before = snapshot()
    with pytest.raises(CommandError, match="could not be loaded"):
        call_command("restore", path, "--force", stdout=io.StringIO())
    assert snapshot() == before


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: a second connection writing during the dump (SQLite's writer "
    "would wait for the backup's lock)",
)
@flushing
def test_it_backs_up_one_moment_while_others_write(demo, tmp_path, monkeypatch):
    """dumpdata reads table after table; rows written by another connection once the dump has
    started (here, after its first object) must not be in the file, whichever table they are in."""
    from django.core.serializers import json as json_serializer

    original = json_serializer.Serializer.end_object
    written = []

    def write_elsewhere():
        try:
            Study.objects.create(doi="10.1000/during-backup", title="Written during", design="rct")
            Claim.objects.filter(slug__startswith="near").update(topic="Changed during")
            written.append(True)
        finally:
            connections.close_all()

    def end_object(self, obj):
        if not written:
            thread = threading.Thread(target=write_elsewhere)
            thread.start()
            thread.join(timeout=30)
        return original(self, obj)

    before = snapshot()
    monkeypatch.setattr(json_serializer.Serializer, "end_object", end_object)
    path = tmp_path / "backup.json"
    call_command("backup", str(path), stdout=io.StringIO())
    monkeypatch.undo()

    assert written
    text = path.read_text()
    assert "during-backup" not in text and "Changed during" not in text
    call_command("restore", str(path), "--force", stdout=io.StringIO())
    assert snapshot() == before
