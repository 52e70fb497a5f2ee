from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    """Members' field-by-field suggested edits and their review."""

    name = "suggestions"
    verbose_name = "Suggested edits"

    def ready(self):
        # Importing receivers imports the models, which the app registry allows only now.
        from . import receivers

        receivers.connect()
