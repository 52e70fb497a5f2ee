"""The claim page's discussion section reads its comments here: claims never imports
discussion (tests/test_architecture.py), and the page template may load any tag library."""

from django import template

from ..models import Comment
from ..rendering import attach_html

register = template.Library()


@register.simple_tag
def claim_discussion(claim) -> dict:
    """How many comments the claim has and its last few with their HTML: one query, two when
    they mention DOIs (the studies). The section sits in a {% cache %} fragment keyed by the
    claim's page version, which every comment's write moves (discussion.receivers)."""
    total, latest = Comment.objects.latest_with_total(claim)
    return {"count": total, "latest": attach_html(latest)}
