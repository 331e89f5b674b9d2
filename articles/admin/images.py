"""The picture library: its list, uploads, a picture's description and focal point, the
chooser's and the body editor's search, and deletion that says what loses the picture.

Every write goes through ``articles.pictures``: upload, describe (a moved focal point
remakes the crops), delete (the files go once the deletion is committed).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import actions as admin_actions
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join

from articles import kinds, pictures
from articles.admin.filters import SourceFilter
from articles.admin.pagination import CappedCountPaginator
from articles.admin.uploads import UploadForm, upload_each
from articles.admin.widgets import (
    DESK_SCRIPT,
    PICTURES_SCRIPT,
    KeyedAutocompletes,
    PictureChooser,
)
from articles.models import Article, Image

# The chooser's and the picture dialog's matches; the newest when nothing is typed.
CHOICES_SHOWN = 12
# Stories and entities named on a delete confirmation, of each kind; then a count.
LOSING_SHOWN = 50
# The crops the change form shows, made around the focal point.
CROPS_SHOWN = ("16x9-400", "4x3-400", "1x1-400")
PREVIEW_WIDTH = 1024


class AltTextFilter(admin.SimpleListFilter):
    """Pictures still to describe: a story showing one cannot be published."""

    title = "alt text"
    parameter_name = "alt_text"

    def lookups(self, request, model_admin):
        return [("missing", "Missing (describe before publishing)"), ("given", "Given")]

    def queryset(self, request, queryset):
        match self.value():
            case "missing":
                return queryset.filter(alt_text="")
            case "given":
                return queryset.exclude(alt_text="")
        return queryset


class PictureSearch(forms.Form):
    term = forms.CharField(max_length=300, required=False)
    id = forms.IntegerField(min_value=1, required=False)


class ImageAdminForm(forms.ModelForm):
    """What the desk says about a picture, and where its subject is."""

    focal_x = forms.FloatField(
        min_value=0,
        max_value=1,
        label="Focal point, across",
        help_text="0 is the left edge, 1 the right.",
        widget=forms.NumberInput(attrs={"step": "0.001"}),
    )
    focal_y = forms.FloatField(
        min_value=0,
        max_value=1,
        label="Focal point, down",
        help_text="0 is the top edge, 1 the bottom.",
        widget=forms.NumberInput(attrs={"step": "0.001"}),
    )

    class Meta:
        model = Image
        fields = [*pictures.DESCRIPTION_FIELDS, "focal_x", "focal_y"]
        widgets = {"alt_text": forms.Textarea(attrs={"rows": 2, "cols": 60})}
        help_texts = {
            "alt_text": (
                "Required to publish a story that shows this picture: what it shows, in a "
                "sentence, for readers who cannot see it (screen readers read it aloud) and "
                "for search engines."
            ),
        }


class ChoosesPictures(KeyedAutocompletes):
    """Mixed into an admin with a picture field: chosen from the library with a preview
    (and its other autocompletes drawn safely whatever was posted)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Image and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = PictureChooser(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def figure_caption(image):
    """The caption a body's figure starts with: "caption — credit", as readers see it."""
    return " — ".join(part for part in (image.caption.strip(), image.credit_line) if part)


def losing(images):
    """What shows ``images`` and would lose them: [(what, [(name, admin address)], more)]."""
    ids = [image.pk for image in images]
    shown = [
        (
            "stories",
            Article.objects.filter(images__in=ids).distinct().order_by("-updated_at", "-id"),
            "admin:articles_article_change",
            "headline",
        ),
        *(
            (
                str(kind.model._meta.verbose_name_plural),
                kind.model.objects.filter(image__in=ids).order_by("name"),
                f"admin:articles_{kind.model._meta.model_name}_change",
                "name",
            )
            for kind in kinds.KINDS
        ),
    ]
    found = []
    for what, queryset, url_name, title in shown:
        rows = list(queryset.only("pk", title)[: LOSING_SHOWN + 1])
        if rows:
            named = [(getattr(row, title), reverse(url_name, args=[row.pk])) for row in rows]
            found.append((what, named[:LOSING_SHOWN], len(rows) > LOSING_SHOWN))
    return found


@admin.register(Image)
class ImageAdmin(KeyedAutocompletes, admin.ModelAdmin):
    form = ImageAdminForm
    list_display = [
        "thumbnail",
        "short_caption",
        "credit",
        "source",
        "taken_at",
        "uploaded_at",
        "used_in_stories",
        "described",
    ]
    list_display_links = ["short_caption"]  # a picture without alt text names no link
    list_filter = [SourceFilter, "format", AltTextFilter, "uploaded_at", "taken_at"]
    list_select_related = ["source"]
    # What the autocomplete and the picture dialog search; get_search_results searches
    # the library as ImageQuerySet.search does, and a date as the day taken or uploaded
    # (the list says so under its search box: templates/admin/articles/image/).
    search_fields = ["caption", "alt_text", "credit"]
    autocomplete_fields = ["source", "place"]
    # Explicit: counting uses annotates the list, which drops a model's default ordering.
    ordering = ["-uploaded_at", "-id"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    actions = ["delete_selected"]
    change_list_template = "admin/articles/image/change_list.html"
    change_form_template = "admin/articles/image/change_form.html"
    delete_confirmation_template = "admin/articles/image/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/articles/image/delete_selected_confirmation.html"
    readonly_fields = ["focal_point_picker", "crops", "file_said", "used_in", "file_facts"]
    fieldsets = [
        (
            "Focal point",
            {
                "fields": ["focal_point_picker", "focal_x", "focal_y", "crops"],
                "description": (
                    "Click the picture where its subject is, or give the point below: "
                    "saving remakes the crops around it."
                ),
            },
        ),
        ("Description", {"fields": list(pictures.DESCRIPTION_FIELDS)}),
        ("What the file said", {"fields": ["file_said"]}),
        ("Use", {"fields": ["used_in", "file_facts"]}),
    ]

    class Media:
        css = {"all": ["desk/desk.css"]}
        js = [DESK_SCRIPT, PICTURES_SCRIPT]

    def get_queryset(self, request):
        return super().get_queryset(request).with_thumbnail().with_use()

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        try:
            day = parse_date(term)
        except ValueError:  # 2026-02-30: a date's shape, but no day
            day = None
        if day is not None:
            return queryset.filter(Q(taken_at__date=day) | Q(uploaded_at__date=day)), False
        return queryset.search(term), False

    # The list ----------------------------------------------------------------------

    @admin.display(description="picture")
    def thumbnail(self, image):
        thumb = image.thumbnail
        if thumb is None:
            return format_html('<span class="picture-missing">Picture {}</span>', image.pk)
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy" '
            'class="picture-thumbnail">',
            thumb.url,
            thumb.width,
            thumb.height,
            image.alt_text,
        )

    @admin.display(description="caption", ordering="caption")
    def short_caption(self, image):
        return image.caption[:120] or image.original_name or f"Picture {image.pk}"

    @admin.display(description="used in", ordering="use_count")
    def used_in_stories(self, image):
        count = image.use_count
        return f"{count} {'story' if count == 1 else 'stories'}"

    @admin.display(description="alt text", boolean=True, ordering="alt_text")
    def described(self, image):
        return bool(image.alt_text)

    # Uploads -------------------------------------------------------------------------

    def get_urls(self):
        info = "articles_image"
        return [
            path("upload/", self.admin_site.admin_view(self.upload), name=f"{info}_upload"),
            path("choices/", self.admin_site.admin_view(self.choices), name=f"{info}_choices"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        # A picture is added by its file: the upload page, for one or many.
        if not self.has_add_permission(request):
            raise PermissionDenied
        return redirect("admin:articles_image_upload")

    def upload(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = UploadForm(request.POST, request.FILES) if posted else UploadForm()
        results = []
        if posted and form.is_valid():
            results = upload_each(form.cleaned_data["files"], by=request.user)
            form = UploadForm()  # what was sent is in the library: ready for more
        return TemplateResponse(
            request,
            "admin/articles/image/upload.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Upload pictures",
                "form": form,
                "results": results,
                "media": self.media + form.media,
            },
        )

    # The chooser's and the body editor's search ----------------------------------------

    def choices(self, request):
        """Pictures matching ``?term=`` (the newest with no term), or the one ``?id=``,
        with what a chooser shows and a figure's caption: two queries whatever the count."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        search = PictureSearch(request.GET)
        if not search.is_valid():
            return JsonResponse({"errors": search.errors}, status=400)
        found = Image.objects.select_related("source").with_thumbnail()
        if search.cleaned_data["id"]:
            found = found.filter(pk=search.cleaned_data["id"])
        else:
            found, _ = self.get_search_results(request, found, search.cleaned_data["term"])
        return JsonResponse({"results": [self.choice(image) for image in found[:CHOICES_SHOWN]]})

    def choice(self, image):
        thumb = image.thumbnail
        return {
            "id": image.pk,
            "label": str(image),
            "alt_text": image.alt_text,
            "credit_line": image.credit_line,
            "caption": figure_caption(image),
            "thumbnail": thumb and {"url": thumb.url, "width": thumb.width, "height": thumb.height},
            "url": reverse("admin:articles_image_change", args=[image.pk]),
        }

    # The change form -----------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        # The form has set its values on ``obj``; describe compares with the stored ones
        # (a focal point moved remakes the crops).
        obj.refresh_from_db(fields=list(changes))
        pictures.describe(obj, by=request.user, **changes)

    @admin.display(description="picture")
    def focal_point_picker(self, image):
        shown = (
            image.renditions.filter(format="jpeg", spec__startswith="w", width__lte=PREVIEW_WIDTH)
            .order_by("-width")
            .first()
        )
        if shown is None:
            return "No rendition to show."
        return format_html(
            '<div class="focal-picker" data-focal-picker>'
            '<img src="{}" width="{}" height="{}" alt="{}" class="focal-picture">'
            '<span class="focal-marker" hidden></span></div>',
            shown.url,
            shown.width,
            shown.height,
            image.alt_text or "The picture, undescribed",
        )

    @admin.display(description="crops")
    def crops(self, image):
        made = {
            rendition.spec: rendition
            for rendition in image.renditions.filter(format="jpeg", spec__in=CROPS_SHOWN)
        }
        return format_html(
            '<div class="picture-crops">{}</div>',
            format_html_join(
                "",
                '<figure class="picture-crop"><img src="{}" width="{}" height="{}" alt="" '
                'loading="lazy"><figcaption>{}</figcaption></figure>',
                (
                    (made[spec].url, made[spec].width, made[spec].height, spec.split("-")[0])
                    for spec in CROPS_SHOWN
                    if spec in made
                ),
            ),
        )

    @admin.display(description="read on upload")
    def file_said(self, image):
        if not image.metadata:
            return "Nothing: the file carried no caption, credit or date."
        return format_html(
            '<dl class="picture-metadata">{}</dl>',
            format_html_join(
                "",
                "<dt>{}</dt><dd>{}</dd>",
                ((name.replace("_", " "), value) for name, value in image.metadata.items()),
            ),
        )

    @admin.display(description="used in")
    def used_in(self, image):
        stories = list(image.articles.order_by("-updated_at", "-id").only("pk", "headline"))
        if not stories:
            return "No story shows this picture."
        count = len(stories)
        return format_html(
            '<p>{} {}:</p><ul class="picture-uses">{}</ul>',
            count,
            "story" if count == 1 else "stories",
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                (
                    (reverse("admin:articles_article_change", args=[story.pk]), story.headline)
                    for story in stories
                ),
            ),
        )

    @admin.display(description="file")
    def file_facts(self, image):
        return format_html(
            "{} × {} pixels, {}, {} bytes{}. Uploaded {}{}.",
            image.width,
            image.height,
            image.format.upper(),
            number_format(image.byte_size, force_grouping=True),
            format_html(", sent as “{}”", image.original_name) if image.original_name else "",
            date_format(timezone.localtime(image.uploaded_at), "DATETIME_FORMAT"),
            format_html(" by {}", image.uploaded_by.get_username()) if image.uploaded_by else "",
        )

    # Deleting --------------------------------------------------------------------------

    def render_delete_form(self, request, context):
        context["losing"] = losing([context["object"]])
        return super().render_delete_form(request, context)

    @admin.action(description="Delete selected pictures", permissions=["delete"])
    def delete_selected(self, request, queryset):
        """Django's confirmation, saying first which stories and entities lose the pictures."""
        response = admin_actions.delete_selected(self, request, queryset)
        if response is not None:
            response.context_data["losing"] = losing(queryset)
        return response

    def delete_model(self, request, obj):
        pictures.delete(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            pictures.delete(image, by=request.user)
