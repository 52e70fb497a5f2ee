"""`{{ user|display_name }}`: the name a member is credited by, or "a former member"."""

from django import template

from core.display_names import display_name as name_of

register = template.Library()


@register.filter
def display_name(user) -> str:
    return name_of(user)
