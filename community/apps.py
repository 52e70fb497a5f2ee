from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """Members' submissions of studies for a claim, and their moderation by editors."""

    name = "community"
