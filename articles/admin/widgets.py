"""The desk's own widgets: the body editor, the picture chooser and an autocomplete for
inline rows."""

import json

from django import forms
from django.contrib.admin.widgets import (
    AdminTextareaWidget,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from articles import bodies
from articles.models import Image

# What the editor checks the way bodies.clean does, as JavaScript regular expressions
# (the same syntax for these), so the format is written down in one place.
FORMAT = {
    "href": bodies.HREF.pattern,  # case-insensitive, as in bodies.py
    "link": bodies.DATA_LINK.pattern,
    "image": bodies.DATA_IMAGE.pattern,
    "markup": bodies.MARKUP.pattern,
}
# The desk's pictures script: the chooser's preview, the focal-point picker, the drop zone.
PICTURES_SCRIPT = forms.Script("desk/pictures.js", defer=True)
# The desk's own script, which names the admin's autocompletes for screen readers (the
# story's change form loads it from its template).
DESK_SCRIPT = forms.Script("desk/desk.js", defer=True)


class BodyEditor(AdminTextareaWidget):
    """The body's textarea, which static/desk/editor/ turns into a toolbar and an editing
    area that writes the body's HTML back into it; without JavaScript it is a textarea."""

    class Media:
        css = {"all": ["desk/editor/editor.css"]}
        js = [forms.Script("desk/editor/editor.js", defer=True)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-body-editor": json.dumps(FORMAT),
                # The link dialog's search: ArticleAdmin.link_targets (admin/desk.py).
                "data-link-targets": reverse("admin:articles_article_link_targets"),
                # The picture dialog's: ImageAdmin.choices (admin/images.py).
                "data-picture-choices": reverse("admin:articles_image_choices"),
            }
        )
        return context


class Keyed:
    """An autocomplete whose tampered value (not a key: "1; DROP TABLE…") draws as no choice,
    beside the field's own "not a valid choice" error, instead of failing to draw the form
    (Django's own looks the value up as it is, and the database refuses it)."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [key for key in value if str(key).isdigit()], attr)


class KeyedAutocompleteSelect(Keyed, AutocompleteSelect):
    pass


class KeyedAutocompleteSelectMultiple(Keyed, AutocompleteSelectMultiple):
    pass


class KeyedAutocompletes:
    """Mixed into every admin with autocomplete fields: each drawn by a Keyed widget."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PictureChooser(KeyedAutocompleteSelect):
    """A picture chosen from the library by its alt text, caption or credit (the admin's
    autocomplete), with a preview of the one chosen: drawn by the server, and redrawn by
    static/desk/pictures.js when the choice changes."""

    preview_template_name = "admin/widgets/picture_preview.html"

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["desk/desk.css"]}, js=[PICTURES_SCRIPT])

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        chosen = str(value) if value not in (None, "") else ""
        picture = (
            Image.objects.select_related("source").with_thumbnail().filter(pk=chosen).first()
            if chosen.isdigit()
            else None
        )
        # The project's templates (the form renderer reads only Django's and the apps').
        preview = render_to_string(
            self.preview_template_name,
            {
                "id": self.build_attrs(self.attrs, attrs).get("id", f"id_{name}"),
                "picture": picture,
                "choices_url": reverse("admin:articles_image_choices"),
            },
        )
        return mark_safe(select + preview)  # both rendered by templates, escaped there


class RowAutocomplete(KeyedAutocompleteSelect):
    """The admin's autocomplete for a row of an inline: the choice it shows is the one
    read with the row (``chosen``), where Django's reads it again, a query per row."""

    chosen = None

    def optgroups(self, name, value, attr=None):
        wanted = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.chosen is None or wanted != {str(self.chosen.pk)}:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(self.chosen)
        options.append(self.create_option(name, self.chosen.pk, label, wanted, len(options)))
        return [(None, options, 0)]
