from typing import Any

from django import template

from ..subnav import Tab, tabs_for

register = template.Library()


@register.simple_tag(takes_context=True)
def cultivation_tabs(context: Any) -> list[Tab]:
    """The cultivation app's tabs the signed-in user may open."""
    return tabs_for(context["request"].user)
