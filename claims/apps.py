from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClaimsConfig(AppConfig):
    name = "claims"

    def ready(self):
        # Importing receivers imports the models, which the app registry allows only now.
        from . import receivers, search_index

        receivers.connect_page_invalidation()
        receivers.connect_score_sync(self)
        post_migrate.connect(search_index.repair_after_migrate, sender=self)
