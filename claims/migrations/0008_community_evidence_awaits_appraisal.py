"""Second edition of scoring (design.md §3.1): community evidence counts only once appraised.

Links made by accepting a member's submission that no editor has judged since (no certainty,
no concern, no upgrade) become "awaiting appraisal", and analyses that
recorded their basis get its fingerprint (claims.services.basis_digest, copied here so the
migration keeps working when that function changes). Stored scores are rebuilt after migrate
(claims.score_sync).
"""

import hashlib
import json

from django.db import migrations


BASIS_FIELDS = (
    "study_id",
    "stance",
    "certainty",
    "points",
    "strength",
    "risk_of_bias",
    "indirectness",
    "imprecise",
)


def basis_digest(snapshot):
    rows = sorted(
        [row.get(name) for name in BASIS_FIELDS] for row in snapshot if row.get("counted", True)
    )
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def forwards(apps, schema_editor):
    Evidence = apps.get_model("claims", "Evidence")
    Submission = apps.get_model("studies", "Submission")
    Analysis = apps.get_model("claims", "Analysis")
    accepted = Submission.objects.filter(status="accepted", study__isnull=False)
    for claim_id, study_id in accepted.values_list("claim_id", "study_id"):
        Evidence.objects.filter(
            claim_id=claim_id,
            study_id=study_id,
            certainty="",
            risk_of_bias=0,
            inconsistency=0,
            indirectness=0,
            imprecision=0,
            publication_bias=0,
            large_effect=0,
            dose_response=False,
            plausible_confounding=False,
        ).update(appraisal_status="awaiting")
    for analysis in Analysis.objects.filter(pro__isnull=False):
        analysis.basis_digest = basis_digest(analysis.evidence_snapshot)
        analysis.save(update_fields=["basis_digest"])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_second_edition_appraisal"),
        ("studies", "0004_second_edition_appraisal"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
