"""The article desk: the list editors triage from, and the change form they write in."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles import editing, linking
from articles.admin.desk import DeskViews
from articles.admin.filters import PersonFilter, PlaceFilter, SourceFilter, StatusFilter
from articles.admin.forms import ArticleAdminForm
from articles.admin.pagination import CappedCountPaginator
from articles.models import Article, Autosave, EditConflict, Status, WireItem
from articles.models.articles import PUBLISH_PERMISSION


@admin.register(Article)
class ArticleAdmin(DeskViews, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "status_label", "source", "published_at", "last_change"]
    list_filter = [
        StatusFilter,
        "headline_needs_review",
        SourceFilter,
        PlaceFilter,
        PersonFilter,
        "published_at",
    ]
    list_select_related = ["source", "updated_by"]
    search_fields = ["headline", "summary", "body", "byline"]
    date_hierarchy = "published_at"
    ordering = ["-created_at", "-id"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ["source", "dateline", "people", "places", "mentioned_sources"]
    readonly_fields = ["original_text", "created_at", "created_by", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["headline", "headline_needs_review", "summary", "body", "byline"]}),
        ("Links", {"fields": ["source", "dateline", "people", "places", "mentioned_sources"]}),
        ("Publication", {"fields": ["status", "published_at", "slug", "opened_version"]}),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["created_at", "created_by", "updated_at", "updated_by", "original_text"],
            },
        ),
    ]
    actions = ["submit_for_review", "publish", "unpublish", "archive"]

    @admin.display(description="status", ordering="status")
    def status_label(self, article):
        return "Scheduled" if article.is_scheduled else article.get_status_display()

    @admin.display(description="last changed", ordering="updated_at")
    def last_change(self, article):
        when = f"{timezone.localtime(article.updated_at):%d %b %Y %H:%M}"
        if article.updated_by:
            return format_html("{} by {}", when, article.updated_by.get_username())
        return when

    # Roles -------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return obj.can_be_edited_by(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, user=request.user, **form_kwargs)

        return RequestForm

    # Saving ------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        obj._links_before = linking.current_links(obj) if change else {}
        if change:
            # The form checked the version under a row lock; this UPDATE makes
            # the same test again, so nothing can overwrite a colleague's save.
            obj.save_checked(expected_version=form.cleaned_data["opened_version"], by=request.user)
        else:
            obj.created_by = obj.updated_by = request.user
            obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        before = {kind: linked for kind, (linked, _) in article._links_before.items()}
        after = {kind: linked for kind, (linked, _) in linking.current_links(article).items()}
        linking.remember_rejections(article, before=before, after=after)
        changed = ", ".join(form.changed_data) if change else ""
        added = editing.saved(
            article,
            by=request.user,
            comment=f"Changed {changed}." if changed else ("Saved." if change else "Created."),
        )
        if any(added.values()):
            self.message_user(
                request,
                f"Linked {sum(map(len, added.values()))} more entities the text mentions.",
                messages.INFO,
            )
        Autosave.discard(user=request.user, article=article if change else None)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            # Reached only if a save slipped past the form's locked check:
            # keep what the editor typed, and send them back to the form.
            Autosave.keep(
                user=request.user,
                article=Article.objects.filter(pk=object_id).first(),
                fields=dict(request.POST.items()),
            )
            self.message_user(
                request, f"{conflict} Your text was kept: restore it below.", messages.ERROR
            )
            return redirect(reverse("admin:articles_article_change", args=[object_id]))

    def delete_queryset(self, request, queryset):
        # One by one, through Article.delete: each deletion is recorded for API
        # clients' mirrors and makes cached pages stale.
        for article in queryset:
            article.delete()

    # Bulk workflow -------------------------------------------------------------

    def move_selected(self, request, queryset, status):
        moved, refused = 0, []
        for article in queryset.select_related(None):
            try:
                if not article.can_be_edited_by(request.user):
                    raise ValidationError("You may not change this story.")
                with transaction.atomic():
                    article.transition(status, by=request.user)
            except ValidationError as error:
                refused.append(f"“{article.headline}”: {' '.join(error.messages)}")
            else:
                moved += 1
        if moved:
            self.message_user(request, f"{moved} {'story' if moved == 1 else 'stories'} moved.")
        if refused:
            self.message_user(
                request,
                f"{len(refused)} refused. " + " ".join(refused),
                messages.WARNING,
            )

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    @admin.action(description="Submit for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.move_selected(request, queryset, Status.REVIEW)

    @admin.action(description="Publish (now, or at the time already set)", permissions=["publish"])
    def publish(self, request, queryset):
        self.move_selected(request, queryset, Status.PUBLISHED)

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self.move_selected(request, queryset, Status.DRAFT)

    @admin.action(description="Archive", permissions=["publish"])
    def archive(self, request, queryset):
        self.move_selected(request, queryset, Status.ARCHIVED)


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin):
    list_display = ["headline", "outcome", "source", "format", "received_at", "origin"]
    list_filter = ["outcome", "format", "source"]
    list_select_related = ["source", "article"]
    search_fields = ["headline", "agency_id", "origin", "content_hash"]
    date_hierarchy = "received_at"
    paginator = CappedCountPaginator
    show_full_result_count = False
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
