"""{% version_citation_for claim analysis as cite %}: the "Cite this claim" block's citation.

The claim page's view model (claims.page) has no citation; this tag builds it from what the
page already holds (no query), so the cached claim page stays as it is."""

from django import template
from django.utils import timezone

from ..versions import version_citation

register = template.Library()


@register.simple_tag(takes_context=True)
def version_citation_for(context, claim, analysis, title=""):
    """The citation of `analysis`'s version page, or None when there is no published version
    (no analysis yet, or one dated in the future: its page is a 404 until then)."""
    if analysis is None or analysis.published_at > timezone.now():
        return None
    return version_citation(context["request"], claim, analysis, title)
