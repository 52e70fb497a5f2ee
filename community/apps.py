from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """Members' submissions of studies for a claim, and their moderation by editors."""

    name = "community"

    def ready(self):
        # Importing receivers imports the models, which the app registry allows only now.
        from . import receivers

        receivers.connect()
