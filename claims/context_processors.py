from django.conf import settings
from django.templatetags.static import static

from core.site import site_url

# The one share image of every page (static/img/og-card.png): the site's name and what it does.
# A per-claim verdict card would go stale with every rescore and need an image pipeline.
OG_IMAGE = {"path": "img/og-card.png", "width": 1200, "height": 630}
OG_IMAGE_ALT = "{site}: what the research says about a claim, and why."


def site(request):
    """The site's name, and what base.html's <head> needs: the page's canonical URL (its path,
    never the query: filters, searches and pages of a list are one page to a search engine)
    and the absolute share image."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "canonical_url": site_url(request, request.path),
        "og_image": {
            "url": site_url(request, static(OG_IMAGE["path"])),
            "width": OG_IMAGE["width"],
            "height": OG_IMAGE["height"],
            "alt": OG_IMAGE_ALT.format(site=settings.SITE_NAME),
        },
    }
