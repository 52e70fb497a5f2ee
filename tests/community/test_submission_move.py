"""Submission moved from studies to community (community 0001, studies 0005): its table, rows,
permissions and admin history stay, on a fresh database and on one migrated before the move;
a backup taken before the move still restores."""

import io
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from claims.management.commands.backup import EXCLUDED
from community.models import Submission
from tests.factories import editors_group, make_claim, make_submission

# The last migrations before the move: Submission was studies.Submission.
BEFORE_THE_MOVE = [("studies", "0004_second_edition_appraisal"), ("community", None)]
PERMISSIONS = {"add_submission", "change_submission", "delete_submission", "view_submission"}
# Transactional (the executor cannot migrate inside a test's transaction); serialized_rollback
# puts the migrations' rows (the editors group) back for the tests that follow.
migrating = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def submission_permissions(app_label: str) -> set[str]:
    group = Group.objects.get(name="editors")
    rows = group.permissions.filter(content_type__app_label=app_label, codename__in=PERMISSIONS)
    return set(rows.values_list("codename", flat=True))


def content_types() -> set[tuple[str, str]]:
    return set(ContentType.objects.filter(model="submission").values_list("app_label", "model"))


@pytest.mark.django_db
def test_it_keeps_the_table_and_gives_editors_the_community_permissions_on_a_fresh_database(
    editor, member
):
    assert Submission._meta.db_table == "studies_submission"
    assert content_types() == {("community", "submission")}
    assert submission_permissions("community") == PERMISSIONS
    assert editor.has_perms([f"community.{name}" for name in PERMISSIONS])
    assert not member.has_perm("community.view_submission")


@migrating
def test_it_moves_rows_permissions_and_history_of_a_database_migrated_before_the_move(
    django_user_model,
):
    editor = django_user_model.objects.create_user("ed", is_staff=True)
    editor.groups.add(editors_group())
    submission = make_submission(make_claim(), django_user_model.objects.create_user("m"))
    content_type = ContentType.objects.get_for_model(Submission)
    entry = LogEntry.objects.create(
        user=editor,
        content_type=content_type,
        object_id=str(submission.pk),
        object_repr=str(submission),
        action_flag=CHANGE,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    ContentType.objects.clear_cache()
    assert content_types() == {("studies", "submission")}
    assert submission_permissions("studies") == PERMISSIONS
    old_state = executor.loader.project_state(BEFORE_THE_MOVE[0])
    old_model = old_state.apps.get_model("studies", "Submission")
    assert old_model._meta.db_table == "studies_submission"
    assert list(old_model.objects.values_list("pk", flat=True)) == [submission.pk]

    executor.loader.build_graph()  # the applied migrations changed
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    assert content_types() == {("community", "submission")}
    assert ContentType.objects.get_for_model(Submission).pk == content_type.pk
    assert submission_permissions("community") == PERMISSIONS
    editor = django_user_model.objects.get(pk=editor.pk)  # no cached permissions
    assert editor.has_perms([f"community.{name}" for name in PERMISSIONS])
    entry.refresh_from_db()
    assert entry.get_edited_object() == Submission.objects.get()


@migrating
def test_it_keeps_the_old_content_type_when_the_new_code_made_one_before_migrate(
    django_user_model,
):
    """The moved code ran before `migrate` and an admin log entry made a community row."""
    editor = django_user_model.objects.create_user("ed", is_staff=True)
    editor.groups.add(editors_group())
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    ContentType.objects.clear_cache()
    early = ContentType.objects.create(app_label="community", model="submission")
    entry = LogEntry.objects.create(
        user=editor, content_type=early, object_id="1", object_repr="x", action_flag=CHANGE
    )

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    assert content_types() == {("community", "submission")}
    assert submission_permissions("community") == PERMISSIONS
    entry.refresh_from_db()
    assert entry.content_type == ContentType.objects.get_for_model(Submission)


def before_the_move(value):
    """A backup's rows as `backup` wrote them before the move: the submissions' rows, and the
    natural keys of their content type and permissions (log entries, groups), say studies."""
    if isinstance(value, dict):
        return {name: before_the_move(item) for name, item in value.items()}
    if isinstance(value, list):
        if value[-2:] == ["community", "submission"]:
            return [*value[:-2], "studies", "submission"]
        return [before_the_move(item) for item in value]
    return "studies.submission" if value == "community.submission" else value


def snapshot() -> str:
    out = io.StringIO()
    call_command(
        "dumpdata", exclude=EXCLUDED, natural_foreign=True, natural_primary=True, stdout=out
    )
    return out.getvalue()


@migrating
def test_it_restores_a_backup_taken_before_the_move(django_user_model, tmp_path):
    editor = django_user_model.objects.create_user("ed", is_staff=True)
    editor.groups.add(editors_group())
    submission = make_submission(make_claim(), django_user_model.objects.create_user("m"))
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Submission),
        object_id=str(submission.pk),
        object_repr=str(submission),
        action_flag=CHANGE,
    )
    before = snapshot()
    path = tmp_path / "backup.json"
    call_command("backup", str(path), stdout=io.StringIO())
    rows = json.loads(path.read_text())
    assert {"community.submission", "admin.logentry", "auth.group"} <= {r["model"] for r in rows}
    old = json.dumps(before_the_move(rows))
    assert "community" not in old
    path.write_text(old)

    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(path), stdout=io.StringIO())
    assert snapshot() == before
