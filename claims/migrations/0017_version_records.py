from django.db import migrations, models


def record_cited_titles(apps, schema_editor):
    """Each version's title as its claim's audit trail had it at publishing (else today's)."""
    Analysis = apps.get_model("claims", "Analysis")
    HistoricalClaim = apps.get_model("claims", "HistoricalClaim")
    for analysis in Analysis.objects.select_related("claim").filter(cited_title=""):
        worded = (
            HistoricalClaim.objects.filter(
                id=analysis.claim_id, history_date__lte=analysis.published_at
            )
            .order_by("-history_date", "-history_id")
            .first()
        ) or analysis.claim
        title = " ".join((worded.headline or worded.plain_statement or "").split())
        Analysis.objects.filter(pk=analysis.pk).update(cited_title=title)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0016_step_inferred_from"),
    ]

    operations = [
        migrations.AddField(
            model_name="analysis",
            name="cited_title",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="analysis",
            name="mechanisms_recorded_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="analysis",
            name="mechanisms_snapshot",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.AddField(
            model_name="analysis",
            name="what_would_change",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(record_cited_titles, migrations.RunPython.noop),
    ]
