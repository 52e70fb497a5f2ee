"""Comments as HTML: markdown through claims.text, with the DOIs they mention linked to the
study's page here when we have it (else to doi.org). One query finds the studies of every
comment shown, so a page of comments stays a flat number of queries."""

from collections.abc import Iterable

from claims.text import doi_mentions, render_markdown_linking_dois
from studies.models import Study

from .models import Comment


def study_urls(bodies: Iterable[str]) -> dict[str, str]:
    """Normalised DOI → the study's page, for the studies these texts mention (no query when
    they mention none)."""
    dois = set().union(*(doi_mentions(body) for body in bodies))
    if not dois:
        return {}
    studies = Study.objects.filter(doi__in=dois).only("pk", "doi")
    return {study.doi: study.link_url for study in studies}


def attach_html(comments: Iterable[Comment]) -> list[Comment]:
    """Give each visible comment its `html`; a hidden one gets none, so its text cannot reach
    a reader's page by any template."""
    comments = list(comments)
    shown = [comment for comment in comments if not comment.hidden]
    urls = study_urls(comment.body for comment in shown)
    for comment in comments:
        comment.html = "" if comment.hidden else render_markdown_linking_dois(comment.body, urls)
    return comments
