"""The claim list's filters: which topics there are to choose from (cached)."""

from django.core.cache import cache

from .models import Claim

TOPICS_KEY = "claim-topics"
# A bulk update() of claims sends no signal, so the topics are re-read after this long anyway.
TOPICS_TIMEOUT = 5 * 60


def published_topics() -> list[str]:
    """The topics of published claims. Reading them scans every claim, so they are cached until
    a claim is saved or deleted (claims.receivers forgets them)."""
    topics = cache.get(TOPICS_KEY)
    if topics is None:
        topics = sorted(
            Claim.objects.published()
            .exclude(topic="")
            .order_by()
            .values_list("topic", flat=True)
            .distinct()
        )
        cache.set(TOPICS_KEY, topics, TOPICS_TIMEOUT)
    return topics


def forget_topics() -> None:
    cache.delete(TOPICS_KEY)
