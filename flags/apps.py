from django.apps import AppConfig


class FlagsConfig(AppConfig):
    """Readers' flags on a claim, a study, an evidence link or a comment, and the editors' queue."""

    name = "flags"
    verbose_name = "Flags"
