from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    """Members' field-by-field suggested edits and their review."""

    name = "suggestions"
    verbose_name = "Suggested edits"
