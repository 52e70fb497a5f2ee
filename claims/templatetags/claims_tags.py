from django import template

from claims.plot_axis import as_entered
from claims.text import (
    jsonld_script,
    render_markdown,
    render_markdown_linking_dois,
    with_doi_breaks,
)

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter
def markdown_dois(text, study_urls):
    """Editors' markdown with its DOIs linked (to our study pages in `study_urls`, else
    doi.org) and shown in lower case: one form of each DOI on the page."""
    return render_markdown_linking_dois(text, study_urls, lower_case=True)


@register.filter
def doi_breaks(text):
    """Plain text with a line-break opportunity inside each DOI (mechanism steps)."""
    return with_doi_breaks(text)


@register.filter
def jsonld(data):
    """Render data as a JSON-LD <script>, escaped like json_script."""
    return jsonld_script(data)


@register.filter
def figure(value):
    """A reported effect figure as entered, negative ones with a real minus (−0.04)."""
    return "" if value is None else as_entered(float(value))
