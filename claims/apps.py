from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClaimsConfig(AppConfig):
    name = "claims"

    def ready(self):
        from . import cache, search_index

        cache.connect_invalidation()
        post_migrate.connect(search_index.repair_after_migrate, sender=self)
