"""The article desk: the list editors triage from, and the change form they write in."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.html import format_html

from articles import editorial, history, kinds
from articles.admin.desk import DeskViews
from articles.admin.filters import (
    AuthorFilter,
    InboxFilter,
    PersonFilter,
    PlaceFilter,
    SectionFilter,
    SourceFilter,
    StatusFilter,
    WrittenByFilter,
)
from articles.admin.forms import ArticleAdminForm
from articles.admin.images import ChoosesPictures
from articles.admin.inbox import WireInbox
from articles.admin.pagination import CappedCountPaginator
from articles.models import Article, Autosave, EditConflict, Status, WireItem
from articles.models.articles import PUBLISH_PERMISSION


def in_time_zone(heading):
    """A column heading naming the newsroom's time zone, read when the list is drawn."""
    return lazy(lambda: f"{heading} ({settings.TIME_ZONE})", str)()


# The change form's "Publish correction" button: it saves the form with the correction.
CORRECT_BUTTON = "_correct"
# The workflow's buttons (forms.workflow_actions) send their action's name under this.
WORKFLOW_BUTTON = "_workflow"


@admin.register(Article)
class ArticleAdmin(ChoosesPictures, WireInbox, DeskViews, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "status_label", "source", "published", "last_change"]
    list_filter = [
        StatusFilter,
        WrittenByFilter,
        "headline_needs_review",
        SectionFilter,
        SourceFilter,
        AuthorFilter,
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
    autocomplete_fields = [
        *("lead_image", "authors", "source", "dateline"),
        *("people", "places", "mentioned_sources"),
    ]
    readonly_fields = [
        *("original_text", "created_at", "created_by", "updated_at", "updated_by", "revised_at"),
    ]
    # The story in the main column; links, publication and its record beside it on a
    # wide screen (templates/admin/articles/article/change_form.html, desk.css).
    fieldsets = [
        (None, {"fields": ["headline", "headline_needs_review", "summary", "body", "byline"]}),
        ("Lead picture", {"classes": ["desk-side"], "fields": ["lead_image"]}),
        (
            "Links",
            {
                "classes": ["desk-side"],
                "fields": [
                    "section",
                    "authors",
                    "source",
                    "dateline",
                    "people",
                    "places",
                    "mentioned_sources",
                ],
            },
        ),
        (
            "Publication",
            {
                "classes": ["desk-side"],
                "fields": [
                    *("status", "published_at", "flag", "slug"),
                    *("opened_version", "merge_state"),
                ],
            },
        ),
        (
            "Record",
            {
                "classes": ["collapse", "desk-side"],
                "fields": [
                    *("created_at", "created_by", "updated_at", "updated_by", "revised_at"),
                    "original_text",
                ],
            },
        ),
    ]
    actions = ["submit_for_review", "publish", "unpublish", "archive"]

    @admin.display(description="status", ordering="status")
    def status_label(self, article):
        return "Scheduled" if article.is_scheduled else article.get_status_display()

    @admin.display(description=in_time_zone("published"), ordering="published_at")
    def published(self, article):
        if article.published_at is None:
            return "—"
        return date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")

    @admin.display(description=in_time_zone("last changed"), ordering="updated_at")
    def last_change(self, article):
        when = date_format(timezone.localtime(article.updated_at), "DATETIME_FORMAT")
        if article.updated_by:
            return format_html("{} by {}", when, article.updated_by.get_username())
        return when

    # Whose story fields choose published stories only: the front's lead and top stories.
    PUBLISHED_ONLY = {"frontpage", "frontpin"}

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete behind the front's story fields offers what can be pinned, found
        # by headline (the body is no help in picking a story for the front).
        if request.GET.get("model_name") in self.PUBLISHED_ONLY:
            found = queryset.filter(status=Status.PUBLISHED, headline__icontains=search_term)
            return found.order_by("-published_at", "-id"), False
        return super().get_search_results(request, queryset, search_term)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.original_text:
            return fieldsets
        # The flag is the wire desk's note on a headline it cut from the copy.
        first, *rest = fieldsets
        text_fields = [name for name in first[1]["fields"] if name != "headline_needs_review"]
        return [(first[0], {**first[1], "fields": text_fields}), *rest]

    # Roles -------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return obj.can_be_edited_by(request.user)

    # Saving: the editorial service does every step ------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **form_kwargs):
                super().__init__(
                    *args,
                    user=request.user,
                    edit_conflict=getattr(request, "edit_conflict", None),
                    show_merge=getattr(request, "show_merge", False),
                    correcting=CORRECT_BUTTON in request.POST,
                    action=request.POST.get(WORKFLOW_BUTTON),
                    **form_kwargs,
                )

        return RequestForm

    def save_model(self, request, obj, form, change):
        links = {kind.link_field: form.cleaned_data[kind.link_field] for kind in kinds.LINKED}
        if change:
            editorial.edit(
                obj,
                by=request.user,
                expected_version=form.cleaned_data["opened_version"],
                links=links,
                correction=form.cleaned_data.get("correction", ""),
            )
        else:
            editorial.create(obj, by=request.user, links=links)
        if form.merge_note:
            self.message_user(request, form.merge_note, messages.INFO)
        self.report_links_added(request, obj, links)
        Autosave.discard(user=request.user, article=obj if change else None)

    def save_related(self, request, form, formsets, change):
        pass  # the links were saved with the story, by the editorial service

    def report_links_added(self, request, article, chosen):
        added = [
            f"{entity.name} ({kind.model._meta.verbose_name})"
            for kind in kinds.LINKED
            for entity in getattr(article, kind.link_field).exclude(
                pk__in=[entity.pk for entity in chosen[kind.link_field]]
            )
        ]
        if added:
            self.message_user(
                request, f"Also linked, as the text names them: {', '.join(added)}.", messages.INFO
            )

    def response_add(self, request, obj, post_url_continue=None):
        if WORKFLOW_BUTTON not in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return self.say_what_happened(request, obj)

    def response_change(self, request, obj):
        if CORRECT_BUTTON in request.POST:
            # Back to the story, where the correction now stands with the others.
            self.message_user(request, "Correction published.", messages.SUCCESS)
            return redirect(request.path)
        if WORKFLOW_BUTTON in request.POST:
            return self.say_what_happened(request, obj)
        return super().response_change(request, obj)

    def say_what_happened(self, request, article):
        """After a workflow button: the story again, and the history's own words for it."""
        latest = history.versions_of(article).first()
        self.message_user(request, latest.revision.comment, messages.SUCCESS)
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A colleague saved after this editor opened the form: nothing was
        # written; the form merges the two saves and saves again. If yet another
        # save slips in meanwhile, the merged form is shown to save by hand.
        for attempt in range(2):
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except EditConflict as conflict:
                request.edit_conflict = conflict
                request.show_merge = attempt == 1
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_model(self, request, obj):
        editorial.delete(obj, by=request.user, expected_version=obj.version)

    def delete_queryset(self, request, queryset):
        # One by one, through the service: each deletion keeps its last revision
        # and is recorded for API clients' mirrors.
        for article in queryset:
            editorial.delete(article, by=request.user, expected_version=article.version)

    # Bulk workflow -------------------------------------------------------------

    def move_selected(self, request, queryset, status):
        moved, refused = 0, []
        for article in queryset.select_related(None):
            try:
                editorial.move(article, status, by=request.user)
            except (ValidationError, PermissionDenied, EditConflict) as error:
                reason = " ".join(error.messages) if hasattr(error, "messages") else str(error)
                refused.append(f"“{article.headline}”: {reason}")
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
    """The wire desk's log: what came in and what was done with it, kept as received."""

    list_display = [
        "headline",
        "outcome",
        "handled",
        "source",
        "format",
        "received_at",
        "origin_name",
    ]
    list_filter = [InboxFilter, "outcome", "handled", "format", "source"]
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
        "handled",
        "decided_by",
        "decided_at",
        "content_hash",
        "text",
    ]
    readonly_fields = fields

    class Media:
        css = {"all": ["desk/desk.css"]}  # long paths and headlines wrap inside the list

    @admin.display(description="from", ordering="origin")
    def origin_name(self, item):
        # A file's name, not its whole path; the record shows the whole origin.
        return item.origin.rsplit("/", 1)[-1]

    def has_add_permission(self, request):
        return False  # copy arrives through import_wire or the API, as received

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the intake's audit trail; it goes with its story
