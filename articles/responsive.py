"""How a page offers a picture: which renditions, in which formats, at which sizes.

One place for the ``<picture>`` element (``templates/articles/includes/picture.html``):
the reader site's template tag, the body's figures (rendered into ``body_html`` when a
story is saved) and anything else that shows a picture go through ``picture()``. A
browser takes the first ``<source>`` whose type it can show (AVIF, then WebP) and the
JPEG ``<img>`` otherwise; ``width`` and ``height`` give the box before a byte arrives,
so nothing moves as pictures load.

Reads only the renditions prefetched on the image (``Image.rendition``): no queries.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

from articles import imaging

# The column a story is read in (static/css/site.css: .story, 42rem at most).
COLUMN = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
# The picture's own shape, by width: "w320"… and, for a picture narrower than a width,
# its own ("w800"). None in a layout's specs means these.
OWN_WIDTHS = None
# What the src attribute offers a browser that reads no srcset: a screen's width.
FALLBACK_WIDTH = 1024


@dataclass(frozen=True)
class Layout:
    """Where a picture stands on a page: which renditions it is offered in, and how wide."""

    name: str
    specs: tuple | None  # rendition specs (a crop's), or OWN_WIDTHS
    sizes: str  # the sizes attribute: how wide the picture is shown
    eager: bool = False  # loaded at once (above the fold), not lazily
    priority: bool = False  # fetchpriority="high": the page's main picture


LEAD = Layout("lead", OWN_WIDTHS, COLUMN, eager=True, priority=True)
INLINE = Layout("inline", OWN_WIDTHS, COLUMN)
# A teaser's thumbnail beside the headline (a third of a phone, 12rem on a wide screen).
TEASER = Layout("teaser", ("16x9-400", "16x9-800"), "(min-width: 44rem) 12rem, 33vw")
# An entity's portrait, view or logo on its page: a square.
PORTRAIT = Layout("portrait", ("1x1-400", "1x1-800"), "10rem", eager=True)
# The front (static/css/site.css): a page of at most 72rem inside 1rem of padding on
# each side, 2rem from 48rem up. The lead's picture takes two thirds of the page less
# a 2rem gap from 48rem up, the page's width below; it is the page's main picture.
FRONT_LEAD = Layout(
    "front-lead",
    ("16x9-400", "16x9-800", "16x9-1200"),
    "(min-width: 76rem) 47rem, (min-width: 48rem) calc(66.67vw - 4rem), calc(100vw - 2rem)",
    eager=True,
    priority=True,
)
# The top stories: three columns from 64rem, two from 40rem (1.5rem gaps), and on a
# phone a thumbnail a third of the width beside the headline.
FRONT_TOP = Layout(
    "front-top",
    ("16x9-400", "16x9-800"),
    "(min-width: 76rem) 23rem, (min-width: 64rem) calc(33.33vw - 2.33rem), "
    "(min-width: 48rem) calc(50vw - 2.75rem), (min-width: 40rem) calc(50vw - 1.75rem), 33vw",
)
# A section block's stories: four columns from 64rem, else as the top stories. The
# teaser's crops, which the blocks' query prefetches (front_page._blocks).
FRONT_BLOCK = Layout(
    "front-block",
    TEASER.specs,
    "(min-width: 76rem) 17rem, (min-width: 64rem) calc(25vw - 2.13rem), "
    "(min-width: 48rem) calc(50vw - 2.75rem), (min-width: 40rem) calc(50vw - 1.75rem), 33vw",
)
LAYOUTS = {
    layout.name: layout
    for layout in (LEAD, INLINE, TEASER, PORTRAIT, FRONT_LEAD, FRONT_TOP, FRONT_BLOCK)
}
# What the teaser and portrait layouts read: the list QuerySets prefetch these alone.
TEASER_SPECS = TEASER.specs
PORTRAIT_SPECS = PORTRAIT.specs
# What the front's lead and top stories read (blocks read TEASER_SPECS).
FRONT_SPECS = tuple(dict.fromkeys((*FRONT_LEAD.specs, *FRONT_TOP.specs)))


def _srcset(renditions):
    return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)


def _renditions(image, specs, fmt):
    if specs is OWN_WIDTHS:
        found = [r for r in image.renditions.all() if r.format == fmt and imaging.is_width(r.spec)]
    else:
        found = [image.rendition(spec, fmt) for spec in specs]
    # A small picture has fewer widths (never wider than itself), and two specs may
    # come out the same width: one entry per width.
    by_width = {rendition.width: rendition for rendition in found if rendition is not None}
    return [by_width[width] for width in sorted(by_width)]


def picture(image, layout, *, eager=None):
    """What ``picture.html`` shows of ``image`` in ``layout``, or None with nothing to show
    (no image, or no JPEG renditions: a broken <img> helps nobody)."""
    if image is None:
        return None
    jpegs = _renditions(image, layout.specs, "jpeg")
    if not jpegs:
        return None
    # For a browser that reads no srcset: the widest up to a screen's width.
    fallback = next((r for r in reversed(jpegs) if r.width <= FALLBACK_WIDTH), jpegs[0])
    widest = jpegs[-1]
    sources = [
        {"type": f"image/{fmt}", "srcset": _srcset(found)}
        for fmt in ("avif", "webp")
        if (found := _renditions(image, layout.specs, fmt))
    ]
    return {
        "layout": layout.name,
        "sources": sources,
        "src": fallback.url,
        "srcset": _srcset(jpegs),
        "sizes": layout.sizes,
        # The shape of the widest: every rendition in a layout has the same aspect ratio.
        "width": widest.width,
        "height": widest.height,
        "alt": image.alt_text,
        "eager": layout.eager if eager is None else eager,
        "priority": layout.priority,
    }


def markup(image, layout, *, eager=None):
    """The ``<picture>`` element for ``image`` in ``layout``, or "" with nothing to show."""
    shown = picture(image, layout, eager=eager)
    if shown is None:
        return ""
    return render_to_string("articles/includes/picture.html", {"picture": shown})


def widest(image, *, fmt="jpeg", up_to=imaging.LARGEST):
    """The widest rendition of the picture's own shape up to ``up_to`` pixels, or None:
    what a feed encloses and an image sitemap lists."""
    if image is None:
        return None
    found = [r for r in _renditions(image, OWN_WIDTHS, fmt) if r.width <= up_to]
    return found[-1] if found else None
