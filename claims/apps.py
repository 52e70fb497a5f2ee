from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClaimsConfig(AppConfig):
    name = "claims"

    def ready(self):
        from . import cache, score_sync, search_index

        cache.connect_invalidation()
        score_sync.connect_score_sync(self)
        post_migrate.connect(search_index.repair_after_migrate, sender=self)
