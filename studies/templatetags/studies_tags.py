from django import template

from core.jsonld import jsonld_script
from studies.citation_meta import coins

register = template.Library()


@register.filter
def study_jsonld(data):
    """Render data as a JSON-LD <script>, escaped like json_script."""
    return jsonld_script(data)


@register.filter(name="coins")
def coins_filter(study):
    """The study's COinS context object, for a <span class="Z3988" title="…">."""
    return coins(study)
