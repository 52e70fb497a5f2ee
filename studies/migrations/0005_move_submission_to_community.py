"""Submission moved to the community app: it leaves this app's state; its table stays.

State only: community/migrations/0001_initial.py takes the model over, with the same table
(`studies_submission`), columns and constraints. This runs after the latest claims migration,
because claims 0008 reads `studies.Submission` from the historical state.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("studies", "0004_second_edition_appraisal"),
        ("claims", "0009_verdict_very_uncertain"),
        ("community", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Submission")],
        ),
    ]
