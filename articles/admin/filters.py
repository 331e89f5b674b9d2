"""Changelist filters that stay usable with millions of stories and thousands of entities."""

from django.contrib import admin
from django.core.cache import cache
from django.db.models import Count, Subquery

from articles import kinds
from articles.models import Article, Section, Source, Status, WireItem

POPULAR_TIMEOUT = 600  # seconds; the ten most-linked entities barely move
# "Most linked" means in the newest stories: what is in the news now, and a
# cost that does not grow with the archive.
POPULAR_AMONG = 5_000


class StatusFilter(admin.SimpleListFilter):
    """Status as the desk thinks of it: a published story not yet due is *scheduled*."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (Status.DRAFT, "Draft"),
            (Status.REVIEW, "In review"),
            ("scheduled", "Scheduled"),
            (Status.PUBLISHED, "Published (live)"),
            (Status.ARCHIVED, "Archived"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "scheduled":
                return queryset.scheduled()
            case Status.PUBLISHED:
                return queryset.public()
            case Status.DRAFT | Status.REVIEW | Status.ARCHIVED as status:
                return queryset.filter(status=status)
        return queryset


class WrittenByFilter(admin.SimpleListFilter):
    """Stories the signed-in user created: the dashboard's "my drafts" in full."""

    title = "written by"
    parameter_name = "written_by"

    def lookups(self, request, model_admin):
        return [("me", "Me")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(created_by=request.user)
        return queryset


class EntityFilter(admin.SimpleListFilter):
    """Filter by one linked entity: the ten most linked in the newest stories, and the one chosen.

    Listing every place would be a select of thousands; an entity's own admin
    page links here with its article count for the rest.
    """

    kind = None

    def lookups(self, request, model_admin):
        choices = dict(self.popular())
        if self.value() and self.value().isdigit() and int(self.value()) not in choices:
            chosen = self.kind.model.objects.filter(pk=self.value()).values_list("pk", "name")
            choices.update(chosen)
        return sorted(choices.items(), key=lambda choice: choice[1])

    def popular(self):
        key = f"admin:popular:{self.parameter_name}"
        popular = cache.get(key)
        if popular is None:
            field = Article._meta.get_field(self.kind.link_field)
            through = field.remote_field.through
            column = f"{field.m2m_reverse_field_name()}_id"
            newest = Article.objects.order_by("-created_at", "-id").values("pk")[:POPULAR_AMONG]
            links = through.objects.filter(article__in=Subquery(newest))
            top = links.values(column).annotate(n=Count("*")).order_by("-n", column)[:10]
            ids = [row[column] for row in top]
            popular = list(self.kind.model.objects.filter(pk__in=ids).values_list("pk", "name"))
            cache.set(key, popular, POPULAR_TIMEOUT)
        return popular

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{self.kind.link_field: self.value()})
        return queryset


class PlaceFilter(EntityFilter):
    title = parameter_name = kinds.PLACE.name
    kind = kinds.PLACE


class PersonFilter(EntityFilter):
    title = parameter_name = kinds.PERSON.name
    kind = kinds.PERSON


class AuthorFilter(EntityFilter):
    title = parameter_name = kinds.AUTHOR.name
    kind = kinds.AUTHOR


class SourceFilter(admin.SimpleListFilter):
    """The byline's agency: agencies are few, so all of them."""

    title = "source"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return list(Source.objects.order_by("name").values_list("pk", "name")[:200])

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(source_id=self.value())
        return queryset


class SectionFilter(admin.SimpleListFilter):
    """The section a story is filed in: sections are few, so all of them, in their order."""

    title = parameter_name = kinds.SECTION.name

    def lookups(self, request, model_admin):
        return list(Section.objects.for_navigation().values_list("pk", "name"))

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(section_id=self.value())
        return queryset


class InboxFilter(admin.SimpleListFilter):
    """The wire log's copy whose draft is in the wire inbox (WireItemQuerySet.inbox)."""

    title = "wire inbox"
    parameter_name = "inbox"

    def lookups(self, request, model_admin):
        return [("waiting", "New drafts waiting")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(pk__in=WireItem.objects.inbox().values("pk"))
        return queryset
