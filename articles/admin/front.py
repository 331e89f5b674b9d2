"""Arranging the front page: the lead, the top stories in order, the section blocks.

One form for the one arrangement (``FrontPage.current()``): the list of fronts
opens it, and nobody adds or deletes one. The inlines give the editor rows to
add, order and remove, and check them with the model's rules before anything is
written; the save is ``editorial.arrange_front``, one revision in the front's
history, never the formsets' own writes.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles import editorial, history
from articles.admin.widgets import KeyedAutocompletes
from articles.models import EditConflict, FrontBlock, FrontPage, FrontPin
from articles.models.front import MAX_BLOCKS, MAX_PINS, check_blocks, check_pins

VIEW_PERMISSION = "articles.view_frontpage"


class FrontPageForm(forms.ModelForm):
    # The version this editor opened: a colleague's save since then is not overwritten.
    opened_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = FrontPage
        fields = ["lead", "lead_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("opened_version", self.instance.version)

    def clean(self):
        cleaned = super().clean()
        stored = FrontPage.objects.select_related("updated_by").get(pk=self.instance.pk)
        opened = cleaned.get("opened_version")
        if opened is not None and opened != stored.version:
            who = stored.updated_by or "Someone"
            when = timezone.localtime(stored.updated_at)
            raise ValidationError(
                f"{who} changed the front at {when:%H:%M} after you opened it. Nothing was "
                "saved: open the front again to see it as it now stands, then make your change."
            )
        return cleaned


def kept_rows(formset):
    """The rows an inline formset keeps (filled, not marked for deletion), by position,
    then as the editor listed them."""
    rows = [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    return sorted(rows, key=lambda row: row.get("position") or 0)


class TopStoriesFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        front = self.instance  # as the form above changed it: the lead the editor chose
        check_pins(
            lead=front.lead,
            lead_until=front.lead_until,
            top=[(row["article"], row.get("until")) for row in kept_rows(self)],
            pinned=front.pinned_ids(),
        )


class BlocksFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors):
            check_blocks([row["section"] for row in kept_rows(self)])


class ArrangedInline(KeyedAutocompletes, admin.TabularInline):
    """A part of the front: whoever may arrange the front may add, order and remove rows."""

    extra = 1

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm(editorial.ARRANGE_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(editorial.ARRANGE_PERMISSION)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(editorial.ARRANGE_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_PERMISSION)


class TopStoriesInline(ArrangedInline):
    model = FrontPin
    formset = TopStoriesFormSet
    fields = ["position", "article", "until", "shown_now"]
    readonly_fields = ["shown_now"]
    autocomplete_fields = ["article"]
    max_num = MAX_PINS
    verbose_name_plural = "top stories, in order of position (the newest stories fill the rest)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    @admin.display(description="on the front now")
    def shown_now(self, pin):
        if pin.pk is None:
            return "—"
        if pin.until is not None and pin.until <= timezone.now():
            return "No: its pin has ended"
        if pin.article.is_public:
            return "Yes"
        if pin.article.is_scheduled:
            return "From its publication time"
        return "No: not published"


class BlocksInline(ArrangedInline):
    model = FrontBlock
    formset = BlocksFormSet
    fields = ["position", "section"]
    max_num = MAX_BLOCKS
    verbose_name_plural = "section blocks, in order of position (each: its latest stories)"


@admin.register(FrontPage)
class FrontPageAdmin(KeyedAutocompletes, admin.ModelAdmin):
    form = FrontPageForm
    fields = ["lead", "lead_until", "opened_version"]
    autocomplete_fields = ["lead"]
    inlines = [TopStoriesInline, BlocksInline]

    def has_add_permission(self, request):
        return False  # there is one front (FrontPage.current)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(editorial.ARRANGE_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_PERMISSION) or self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        front = FrontPage.current()
        return redirect(reverse("admin:articles_frontpage_change", args=[front.pk]))

    def get_object(self, request, object_id, from_field=None):
        return FrontPage.current() if str(object_id) == "1" else None

    def save_model(self, request, obj, form, change):
        pass  # the arrangement is saved whole, by arrange_front in save_related

    def save_related(self, request, form, formsets, change):
        parts = {formset.model: formset for formset in formsets}
        editorial.arrange_front(
            by=request.user,
            expected_version=form.cleaned_data["opened_version"],
            lead=form.cleaned_data.get("lead"),
            lead_until=form.cleaned_data.get("lead_until"),
            top=[(row["article"], row.get("until")) for row in kept_rows(parts[FrontPin])],
            blocks=[row["section"] for row in kept_rows(parts[FrontBlock])],
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # A colleague saved between this form's check and its save: nothing was written.
            self.message_user(
                request,
                "A colleague saved the front at the same moment, so nothing was saved. "
                "Here it is as it now stands.",
                messages.ERROR,
            )
            return redirect(request.path)

    def construct_change_message(self, request, form, formsets, add=False):
        # The admin's log says what the front's history says (the formsets saved nothing).
        return history.front_versions().values_list("revision__comment", flat=True).first() or ""

    def response_change(self, request, obj):
        self.message_user(request, "The front page was saved.", messages.SUCCESS)
        return redirect(request.path)

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/articles/frontpage/history.html",
            {
                **self.admin_site.each_context(request),
                "title": "History: front page",
                "opts": self.opts,
                "original": FrontPage.current(),
                "versions": history.front_versions()[:200],
            },
        )
