"""The site's own pages (About, Contact...): written in the story body editor, ordered for
the footer."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from articles.admin.widgets import BodyEditor
from articles.models import SitePage


class SitePageForm(forms.ModelForm):
    class Meta:
        model = SitePage
        fields = ["title", "slug", "description", "body", "footer_position", "published"]
        # The story's editor, writing the same format; SitePage.save cleans it whatever sent it.
        widgets = {"body": BodyEditor()}
        help_texts = {
            "slug": "Its address on the site, /<slug>/. Left blank, it is made from the title."
        }


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    form = SitePageForm
    list_display = ["title", "address", "footer_position", "published", "updated_at"]
    list_editable = ["footer_position"]
    list_filter = ["published"]
    search_fields = ["title", "slug"]
    # The footer's order, as readers see it.
    ordering = ["footer_position", "title", "id"]

    @admin.display(description="address", ordering="slug")
    def address(self, page):
        url = page.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)
