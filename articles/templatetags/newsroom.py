from datetime import UTC

from django import template
from django.utils import dateformat, timezone
from django.utils.safestring import mark_safe

from articles import structured_data

register = template.Library()

# Every time a reader sees, on every page: "6 October 2020, 08:00 UTC".
READER_TIME_FORMAT = "j F Y, H:i"


@register.filter
def reader_time(moment):
    """``moment`` in the newsroom's TIME_ZONE, naming the zone: a bare "08:00" is a guess."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    zone = local.tzname()
    # tzdata names zones with no customary abbreviation by their offset ("+04").
    if zone.startswith(("+", "-")):
        zone = f"UTC{zone}"
    return f"{dateformat.format(local, READER_TIME_FORMAT)} {zone}"


@register.filter
def machine_time(moment):
    """``moment`` for a <time datetime> (and other machine-read) attribute.

    Whole seconds: HTML allows at most three digits of a fraction, and a time
    saved live has six. In UTC: a zone's historical offsets can have seconds,
    which HTML refuses.
    """
    if moment is None:
        return ""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


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
