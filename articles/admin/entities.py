"""Sources, people, places, authors and sections: found by name or alias, each with its number of
stories."""

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html

from articles import kinds
from articles.admin.images import ChoosesPictures
from articles.admin.pagination import CappedCountPaginator
from articles.admin.widgets import DESK_SCRIPT
from articles.models import Article, Author, Person, Place, Section, Source


def article_count(through, column):
    """Stories linked to each listed entity, counted only for the rows on the page."""
    return Subquery(
        through.objects.filter(**{column: OuterRef("pk")})
        .order_by()
        .values(column)
        .annotate(n=Count("*"))
        .values("n"),
        output_field=IntegerField(),
    )


def filed_count(field):
    """Stories whose foreign key ``field`` holds each listed row, counted for the page's rows."""
    return Subquery(
        Article.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n"),
        output_field=IntegerField(),
    )


class EntityAdmin(ChoosesPictures, admin.ModelAdmin):
    """An entity kind's admin: found by name or alias, with its number of linked stories,
    and its picture (a portrait, a view, a logo) chosen from the library."""

    search_fields = ["name", "slug", "aliases"]
    autocomplete_fields = ["image"]

    class Media:
        js = [DESK_SCRIPT]

    paginator = CappedCountPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        field = Article._meta.get_field(kinds.of(self.model).link_field)
        through = field.remote_field.through
        column = f"{field.m2m_reverse_field_name()}_id"
        return super().get_queryset(request).annotate(story_count=article_count(through, column))

    @admin.display(description="stories", ordering="story_count")
    def stories(self, entity):
        url = reverse("admin:articles_article_changelist")
        return format_html(
            '<a href="{}?{}={}">{}</a>',
            url,
            kinds.of(self.model).name,
            entity.pk,
            entity.story_count or 0,
        )


@admin.register(Source)
class SourceAdmin(EntityAdmin):
    list_display = ["name", "kind", "url", "needs_review", "stories"]
    list_filter = ["needs_review", "kind"]

    def get_queryset(self, request):
        # A source's stories are those it supplied (the byline's agency).
        return admin.ModelAdmin.get_queryset(self, request).annotate(
            story_count=filed_count("source")
        )


@admin.register(Person)
class PersonAdmin(EntityAdmin):
    list_display = ["name", "honorific", "title", "stories"]


@admin.register(Place)
class PlaceAdmin(EntityAdmin):
    list_display = ["name", "kind", "parent", "stories"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent", "image"]


@admin.register(Author)
class AuthorAdmin(EntityAdmin):
    list_display = ["name", "title", "user", "stories"]
    list_select_related = ["user"]


@admin.register(Section)
class SectionAdmin(EntityAdmin):
    list_display = ["name", "position", "slug", "stories"]
    list_editable = ["position"]
    # The navigation's order, as readers see it.
    ordering = ["position", "name", "id"]
    fields = ["name", "slug", "position", "description", "aliases", "image"]

    def get_queryset(self, request):
        # A section's stories are those filed in it.
        return admin.ModelAdmin.get_queryset(self, request).annotate(
            story_count=filed_count("section")
        )
