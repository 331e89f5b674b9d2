"""Sources, people, places, authors and sections: found by name or alias, each with its number of
stories; a section with the rules that file wire stories in it."""

from django import forms
from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html

from articles import kinds
from articles.admin.images import ChoosesPictures
from articles.admin.pagination import CappedCountPaginator
from articles.admin.widgets import DESK_SCRIPT, RowAutocomplete
from articles.models import Article, Author, Person, Place, Section, SectionRule, Source
from articles.models.section_rules import RULE_KINDS

RULE_FIELDS = [kind.name for kind in RULE_KINDS]


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
    # An author is found in a byline by name alone, never in a story's text.
    exclude = ["never_link", "ambiguous"]


class SectionRuleForm(forms.ModelForm):
    class Meta:
        model = SectionRule
        fields = ["position", *RULE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each row's entity is read with the rows (the inline's queryset), not per widget.
        for name in RULE_FIELDS:
            widget = self.fields[name].widget
            chosen = getattr(self.instance, name) if getattr(self.instance, f"{name}_id") else None
            getattr(widget, "widget", widget).chosen = chosen


class SectionRuleInline(admin.TabularInline):
    """The section's rules: a wire story linked to one of these entities is proposed
    the section, the lowest position first (articles/models/section_rules.py)."""

    model = SectionRule
    form = SectionRuleForm
    fields = ["position", *RULE_FIELDS]
    autocomplete_fields = RULE_FIELDS
    extra = 1
    verbose_name = "rule"
    verbose_name_plural = "Rules: wire stories linked to one of these go here"

    def get_queryset(self, request):
        # Each row shows its rule's words ("Stories linked to … go to …") and its entity.
        return super().get_queryset(request).select_related("section", *RULE_FIELDS)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in RULE_FIELDS:
            kwargs["widget"] = RowAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Section)
class SectionAdmin(EntityAdmin):
    list_display = ["name", "position", "slug", "stories"]
    list_editable = ["position"]
    # The navigation's order, as readers see it.
    ordering = ["position", "name", "id"]
    fields = ["name", "slug", "position", "description", "aliases", "image"]
    inlines = [SectionRuleInline]

    def get_queryset(self, request):
        # A section's stories are those filed in it.
        return admin.ModelAdmin.get_queryset(self, request).annotate(
            story_count=filed_count("section")
        )
