from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    """A discussion thread per claim for members, moderated by editors."""

    name = "discussion"
    verbose_name = "Discussion"

    def ready(self):
        # Importing receivers imports the models, which the app registry allows only now.
        from . import receivers

        receivers.connect()
