"""Data as a JSON-LD <script> element: the one other place, beside claims/text.py, that marks
text safe. It lives here so that every app can publish structured data (claims' ClaimReview,
studies' ScholarlyArticle) without studies importing claims."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# The same escapes as Django's json_script, so data can't close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def jsonld_script(data) -> SafeString:
    """Data as a JSON-LD <script>, escaped like json_script."""
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES)
    safe = mark_safe(payload)  # noqa: S308 - escaped like json_script just above
    return format_html('<script type="application/ld+json">{}</script>', safe)
