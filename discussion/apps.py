from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    """A discussion thread per claim for members, moderated by editors."""

    name = "discussion"
    verbose_name = "Discussion"
