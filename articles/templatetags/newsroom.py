from datetime import UTC
from urllib.parse import quote

from django import template
from django.utils import dateformat, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from articles import responsive, structured_data

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


# A teaser's time: today's by the clock, an older story's by its day.
SHORT_TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"


@register.filter
def short_time(moment):
    """``moment`` as a teaser shows it: "14:05" if it is today in the newsroom's
    TIME_ZONE, else "1 Dec 2026". The <time> element carries the full moment."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    today = timezone.localdate()
    return dateformat.format(
        local, SHORT_TIME_FORMAT if local.date() == today else SHORT_DATE_FORMAT
    )


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


class PartNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return self.nodelist.render(context)


class SeparatedNode(template.Node):
    def __init__(self, separator, parts):
        self.separator = separator
        self.parts = parts

    def render(self, context):
        rendered = [part.render(context).strip() for part in self.parts]
        separator = conditional_escape(self.separator.resolve(context))
        # Each part is template output, escaped as it rendered; the separator is escaped above.
        return mark_safe(separator.join(part for part in rendered if part))


@register.tag
def separated(parser, token):
    """``{% separated " · " %}{% part %}…{% endpart %}…{% endseparated %}``: the parts
    that render to something, with the separator between them and nowhere else
    (a story with no time is "By Trend · Baku · Trend", not "By Trend · Baku ·  · Trend").
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the separator.")
    nodelist = parser.parse(("endseparated",))
    parser.delete_first_token()
    parts = []
    for node in nodelist:
        if isinstance(node, PartNode):
            parts.append(node)
        elif not (isinstance(node, template.base.TextNode) and not node.s.strip()):
            raise template.TemplateSyntaxError(
                f"Only {{% part %}} blocks may stand inside {{% {bits[0]} %}}."
            )
    return SeparatedNode(parser.compile_filter(bits[1]), parts)


@register.tag
def part(parser, token):
    """One part of a ``{% separated %}`` line; it counts only if it renders to something."""
    nodelist = parser.parse(("endpart",))
    parser.delete_first_token()
    return PartNode(nodelist)


@register.simple_tag
def picture(image, layout, eager=None):
    """``{% picture article.lead_image "teaser" %}``: the picture in a layout
    (responsive.LAYOUTS), or nothing when there is none to show."""
    return responsive.markup(image, responsive.LAYOUTS[layout], eager=eager)


# Where a reader can share a story: plain links, so no network's script loads on our
# pages. ``{url}`` and ``{title}`` are filled percent-encoded.
SHARE_NETWORKS = (
    ("E-mail", "Share by e-mail", "mailto:?subject={title}&body={url}"),
    ("X", "Share on X", "https://twitter.com/intent/tweet?url={url}&text={title}"),
    ("Facebook", "Share on Facebook", "https://www.facebook.com/sharer/sharer.php?u={url}"),
    ("LinkedIn", "Share on LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url={url}"),
    ("WhatsApp", "Share on WhatsApp", "https://wa.me/?text={title}%20{url}"),
    ("Telegram", "Share on Telegram", "https://t.me/share/url?url={url}&text={title}"),
)


@register.simple_tag
def share_links(url, title):
    """``{% share_links canonical_url article.headline as links %}``: each network's
    name, accessible label and address."""
    encoded = {"url": quote(url, safe=""), "title": quote(title, safe="")}
    return [
        {"name": name, "label": label, "href": address.format(**encoded)}
        for name, label, address in SHARE_NETWORKS
    ]
