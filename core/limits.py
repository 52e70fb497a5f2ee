"""A member's hourly limits (submissions, flags, suggestions, comments), counted in the
database: they hold across workers and survive a cache flush."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone


class RateLimitExceeded(ValidationError):
    """The member has sent as many as the limit allows in the last hour."""


def hold_to_hourly_limit(*, user, recent, limit: int, message: str) -> None:
    """Inside a transaction: raise RateLimitExceeded(message with {limit}) when `recent` (the
    member's rows, with a created_at) has `limit` rows from the last hour. The member's user
    row is locked first, so two requests at once queue up and cannot both pass."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    since = timezone.now() - timedelta(hours=1)
    if recent.filter(created_at__gte=since).count() >= limit:
        raise RateLimitExceeded(message.format(limit=limit), code="rate_limited")
