import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_effects_and_pico"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="related_changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
    ]
