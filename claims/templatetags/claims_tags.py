import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from claims.presentation import with_doi_breaks
from claims.text import render_markdown

register = template.Library()

# The same escapes as Django's json_script, so data can't close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter
def doi_breaks(text):
    """Plain text with a line-break opportunity inside each DOI (mechanism steps)."""
    return with_doi_breaks(text)


@register.filter
def jsonld(data):
    """Render data as a JSON-LD <script>, escaped like json_script."""
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
