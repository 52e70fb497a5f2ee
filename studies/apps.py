from django.apps import AppConfig
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed


def refuse_pooled_in_cycle(sender, instance, action, reverse, pk_set, **kwargs):
    """Every write path (admin, shell, services) refuses a pooled-in loop, in which every
    study would be "pooled in" another and none would count."""
    # apps.py is imported before the models are ready; the receiver runs long after.
    from .models import POOLED_IN_CYCLE, pooled_in_cycle

    if action != "pre_add" or not pk_set:
        return
    pairs = [(pk, instance.pk) if reverse else (instance.pk, pk) for pk in pk_set]
    if pooled_in_cycle(pairs):
        raise ValidationError(POOLED_IN_CYCLE, code="pooled_in_cycle")


class StudiesConfig(AppConfig):
    name = "studies"

    def ready(self):
        # The app registry allows importing models only from ready().
        from .models import Study

        m2m_changed.connect(
            refuse_pooled_in_cycle, sender=Study.pooled_in.through, dispatch_uid="pooled-in-cycle"
        )
