"""The kinds of entity a story is about, declared once.

Every part that deals with entities iterates over ``KINDS`` instead of naming
people, places, sources, authors and sections again: linking (which article field holds a
kind's links and which the links an editor rejected), the reader site
(addresses, templates, titles), feeds, sitemaps, the admin, the API and history.
Adding a kind is one entry here plus its model (and, as for every model, its
admin columns and API fields).

Kinds differ in how a story comes to be linked to them: people, places and
sources are found in the text by name and alias (``linked_from_text``); authors
are set by an editor or from a wire byline, never from running text; a story's
one section is a foreign key an editor sets (``linked`` is false).

A leaf: models read it (``ArticleQuerySet.about``), so it names models by name
and looks them up in the app registry when asked.
"""

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class Kind:
    name: str  # "person": URL names, list filters, the matcher's kind
    model_name: str  # "Person"
    plural: str  # "people": the address of its index, its API endpoint, its sitemap
    title: str  # "People": the index page's heading
    # Article's many-to-many field holding the story's links of this kind; None for a kind
    # a story has one of at most, held in a foreign key named in ``also_about`` (sections).
    link_field: str | None
    # Links an editor removed although the text names the entity: linking
    # never puts them back. None for a kind linking never adds by itself.
    rejected_field: str | None
    # Article foreign keys that make a story about the entity as well as its links.
    also_about: tuple[str, ...] = ()
    # How its stories relate to it, in the words of feeds and pages: "stories about Ganja",
    # "stories by Jane Doe".
    preposition: str = "about"

    @property
    def model(self):
        return apps.get_model("articles", self.model_name)

    @property
    def linked(self):
        """Whether stories carry links of this kind (a many-to-many field)."""
        return self.link_field is not None

    @property
    def linked_from_text(self):
        """Whether the wire desk finds this kind in a story's text by name and alias."""
        return self.rejected_field is not None

    @property
    def url_name(self):
        return f"articles:{self.name}"

    @property
    def feed_url_name(self):
        return f"articles:{self.name}-feed"

    @property
    def atom_feed_url_name(self):
        return f"articles:{self.name}-atom-feed"

    @property
    def index_url_name(self):
        return f"articles:{self.plural}"

    @property
    def template_name(self):
        return f"articles/{self.name}_detail.html"


PERSON = Kind("person", "Person", "people", "People", "people", "rejected_people")
PLACE = Kind(
    "place",
    "Place",
    "places",
    "Places",
    "places",
    "rejected_places",
    # A story filed from a place is about it, whether or not its text names it.
    also_about=("dateline",),
)
SOURCE = Kind(
    "source",
    "Source",
    "sources",
    "Sources",
    "mentioned_sources",
    "rejected_sources",
    # The agency that supplied a story is what it is most plainly "from".
    also_about=("source",),
)

# The newsroom's own writers: a story's authors are chosen by an editor or read from a
# wire byline, so linking never adds one from the text (no rejected field).
AUTHOR = Kind("author", "Author", "authors", "Authors", "authors", None, preposition="by")

# The desk's sections (Politics, Economy...): a story is filed in one, chosen by an editor,
# so it is a foreign key rather than links, and linking and history's link lists skip it.
SECTION = Kind(
    "section",
    "Section",
    "sections",
    "Sections",
    None,
    None,
    also_about=("section",),
    preposition="in",
)

KINDS = (PERSON, PLACE, SOURCE, AUTHOR, SECTION)
# The kinds held in an article's many-to-many link fields.
LINKED = tuple(kind for kind in KINDS if kind.linked)
LINKED_FROM_TEXT = tuple(kind for kind in KINDS if kind.linked_from_text)
BY_NAME = {kind.name: kind for kind in KINDS}


def of(model_or_entity):
    """The kind of a model class or of one entity."""
    name = model_or_entity._meta.model_name
    for kind in KINDS:
        if kind.model_name.lower() == name:
            return kind
    raise LookupError(f"{model_or_entity._meta.object_name} is not an entity kind.")


def link_fields():
    """The article's link fields, one per kind: what a revision keeps."""
    return [kind.link_field for kind in LINKED]


def rejected_fields():
    """Linking's bookkeeping of removed links: not part of a story's history."""
    return [kind.rejected_field for kind in KINDS if kind.rejected_field]
