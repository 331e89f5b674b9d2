"""The editors' desk: declared where Django's admin can declare it."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from reversion.admin import VersionAdmin

from articles import diffs, history, intake, linking
from articles.models import (
    Article,
    EditConflict,
    Person,
    Place,
    Source,
    WireItem,
    WireOutcome,
)

ENTITY_MODELS = {"person": Person, "place": Place, "source": Source}


class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "aliases"]


@admin.register(Source)
class SourceAdmin(EntityAdmin):
    list_display = ["name", "kind", "url", "needs_review"]
    list_filter = ["needs_review", "kind"]


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
class ArticleAdmin(VersionAdmin):
    list_display = ["headline", "status", "source", "published_at", "updated_at"]
    list_filter = ["status", "headline_needs_review", "source"]
    list_select_related = ["source"]
    search_fields = ["headline", "summary", "byline"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["source", "people", "places", "mentioned_sources", "dateline"]
    readonly_fields = ["original_text", "version", "created_at", "updated_at"]

    def get_urls(self):
        return [
            path(
                "<int:article_id>/link/<str:kind>/<int:entity_id>/",
                self.admin_site.admin_view(self.accept_link),
                name="articles_article_accept_link",
            ),
            path(
                "wire/<int:item_id>/<str:decision>/",
                self.admin_site.admin_view(self.decide_update),
                name="articles_article_decide_update",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        obj._links_before = linking.current_links(obj) if change else {}
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        before = {kind: linked for kind, (linked, _) in article._links_before.items()}
        after = {kind: linked for kind, (linked, _) in linking.current_links(article).items()}
        linking.remember_rejections(article, before=before, after=after)
        added = linking.link_article(article)
        if any(added.values()):
            self.message_user(
                request,
                f"Linked {sum(map(len, added.values()))} entities the text mentions.",
                messages.INFO,
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if article is not None:
            extra_context["unlinked_mentions"] = self.unlinked_mentions(article)
            extra_context["pending_updates"] = [
                (item, diffs.word_diff(article.body, item.body))
                for item in article.wire_items.pending().select_related("source")
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def unlinked_mentions(self, article):
        """Entities the text names but the article is not linked to, for one-click linking."""
        found, current = linking.found_links(article), linking.current_links(article)
        suggestions = []
        for kind, (linked, rejected) in current.items():
            missing = found[kind] - linked
            for entity in ENTITY_MODELS[kind].objects.filter(pk__in=missing).order_by("name"):
                suggestions.append(
                    {"kind": kind, "entity": entity, "rejected": entity.pk in rejected}
                )
        return suggestions

    def accept_link(self, request, article_id, kind, entity_id):
        """Link one suggested entity; a link the editor had removed is un-rejected."""
        article = get_object_or_404(Article, pk=article_id)
        if request.method != "POST" or kind not in ENTITY_MODELS:
            raise PermissionDenied
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        entity = get_object_or_404(ENTITY_MODELS[kind], pk=entity_id)
        field, rejected_field = linking.LINK_FIELDS[kind]
        try:
            with transaction.atomic():
                # Moves the version, so a form still open with the old links is told.
                article.save_checked(expected_version=article.version, by=request.user)
                getattr(article, rejected_field).remove(entity)
                getattr(article, field).add(entity)
                history.record(article, by=request.user, comment=f"Linked {entity.name}.")
        except EditConflict as conflict:
            self.message_user(request, str(conflict), messages.ERROR)
        else:
            self.message_user(request, f"Linked {entity.name}.", messages.SUCCESS)
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

    def decide_update(self, request, item_id, decision):
        item = get_object_or_404(WireItem, pk=item_id, outcome=WireOutcome.PENDING)
        if request.method != "POST" or decision not in {"accept", "ignore"}:
            raise PermissionDenied
        if not self.has_change_permission(request, item.article):
            raise PermissionDenied
        if decision == "ignore":
            intake.ignore_update(item, by=request.user)
            self.message_user(request, "Agency update ignored.", messages.SUCCESS)
        else:
            try:
                intake.accept_update(item, by=request.user)
            except EditConflict as conflict:
                self.message_user(request, str(conflict), messages.ERROR)
            else:
                self.message_user(request, "Agency update accepted.", messages.SUCCESS)
        return redirect(reverse("admin:articles_article_change", args=[item.article_id]))


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin):
    list_display = ["headline", "outcome", "source", "format", "received_at", "origin"]
    list_filter = ["outcome", "format", "source"]
    list_select_related = ["source", "article"]
    search_fields = ["headline", "agency_id", "origin", "content_hash"]
    date_hierarchy = "received_at"
    fields = [
        "article",
        "outcome",
        "similarity",
        "source",
        "byline",
        "headline",
        "agency_id",
        "format",
        "origin",
        "sent_at",
        "received_at",
        "received_by",
        "decided_by",
        "decided_at",
        "content_hash",
        "text",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # copy arrives through import_wire or the API, as received

    def has_change_permission(self, request, obj=None):
        return False
