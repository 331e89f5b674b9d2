from django import template
from django.utils.safestring import mark_safe

from articles import structured_data

register = template.Library()


@register.filter
def jsonld(data):
    """Structured data for a <script type="application/ld+json"> element.

    Safe to mark: it is JSON we serialised, with every character that could
    close the element escaped (structured_data.as_script).
    """
    return mark_safe(structured_data.as_script(data))


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")
