"""Submission, moved here from the studies app: the same table, columns and constraints.

State only (SeparateDatabaseAndState): the table keeps its name, `studies_submission`, and its
rows; studies 0005 then drops the model from the studies app's state. The model's content
type is renamed from studies to community, so the permissions on it (the editors group's,
claims 0003) and the admin's log entries follow the model.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import studies.doi

MODEL = "submission"


def _move_content_type(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    rows = ContentType.objects.using(schema_editor.connection.alias)
    moving = rows.filter(app_label=old, model=MODEL).first()
    if moving is None:  # a database migrated before any content type was made
        return
    arrived = rows.filter(app_label=new, model=MODEL).first()
    if arrived is not None:
        # Code of the new layout ran before this migration and made its own row (an admin
        # log entry asks for one): keep the old row, which holds the permissions, and its
        # history.
        LogEntry.objects.using(rows.db).filter(content_type=arrived).update(content_type=moving)
        arrived.delete()
    moving.app_label = new
    moving.save(update_fields=["app_label"])


def content_type_to_community(apps, schema_editor):
    _move_content_type(apps, schema_editor, "studies", "community")


def content_type_to_studies(apps, schema_editor):
    _move_content_type(apps, schema_editor, "community", "studies")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("claims", "0009_verdict_very_uncertain"),
        ("studies", "0004_second_edition_appraisal"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Submission",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "doi",
                            models.CharField(
                                max_length=255,
                                validators=[studies.doi.validate_doi],
                                verbose_name="DOI",
                            ),
                        ),
                        ("title", models.CharField(blank=True, max_length=500)),
                        (
                            "stance",
                            models.CharField(
                                choices=[("supports", "Supports"), ("contradicts", "Contradicts")],
                                max_length=12,
                            ),
                        ),
                        (
                            "rationale",
                            models.TextField(
                                help_text="Why this study bears on the claim (markdown)."
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending review"),
                                    ("accepted", "Accepted"),
                                    ("rejected", "Rejected"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("moderated_at", models.DateTimeField(blank=True, null=True)),
                        ("moderator_note", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "claim",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="submissions",
                                to="claims.claim",
                            ),
                        ),
                        (
                            "moderator",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="moderated_submissions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "study",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="submissions",
                                to="studies.study",
                            ),
                        ),
                        (
                            "submitted_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="submissions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "studies_submission",
                        "ordering": ["-created_at"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("stance__in", ["supports", "contradicts"])),
                                name="submission_stance_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("status__in", ["pending", "accepted", "rejected"])
                                ),
                                name="submission_status_valid",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("status", "pending")),
                                fields=("claim", "doi"),
                                name="submission_one_pending_per_claim_doi",
                                violation_error_message=(
                                    "This study is already waiting for review on this claim."
                                ),
                            ),
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_type_to_community, content_type_to_studies),
    ]
