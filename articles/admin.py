"""The editors' desk: declared, not coded."""

from django.contrib import admin

from articles.models import Article, Person, Place, Source


class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "aliases"]


@admin.register(Source)
class SourceAdmin(EntityAdmin):
    list_display = ["name", "kind", "url"]
    list_filter = ["kind"]


@admin.register(Person)
class PersonAdmin(EntityAdmin):
    list_display = ["name", "honorific", "title"]


@admin.register(Place)
class PlaceAdmin(EntityAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "status", "source", "published_at", "updated_at"]
    list_filter = ["status", "source"]
    list_select_related = ["source"]
    search_fields = ["headline", "summary", "byline"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["source", "people", "places", "dateline"]
    readonly_fields = ["original_text", "version", "created_at", "updated_at"]
