"""A member's comments for "My contributions" (templates/discussion/_my_contributions.html)."""

import html

from django.utils.html import strip_tags
from django.utils.text import Truncator

from claims.text import render_markdown

from .models import Comment

SHOWN = 50
EXCERPT_LENGTH = 160


def excerpt(body: str) -> str:
    """The comment as plain text, cut short: the markdown rendered, then its tags dropped."""
    text = html.unescape(strip_tags(render_markdown(body)))
    return Truncator(" ".join(text.split())).chars(EXCERPT_LENGTH)


def contributions(user) -> dict:
    """The context of _my_contributions.html: the member's latest comments (with the claim,
    when, an excerpt, and whether an editor hid it and why) and how many they wrote. Two
    queries."""
    comments = list(
        Comment.objects.filter(author=user)
        .select_related("claim")
        .defer("claim__search_vector")
        .order_by("-created_at", "-pk")[:SHOWN]
    )
    for comment in comments:
        comment.excerpt = excerpt(comment.body)
    return {"comments": comments, "comment_count": Comment.objects.filter(author=user).count()}
