"""The change form's body editor: the body's textarea, and what the desk's editor needs."""

import json

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget
from django.urls import reverse

from articles import bodies

# What the editor checks the way bodies.clean does, as JavaScript regular expressions
# (the same syntax for these), so the format is written down in one place.
FORMAT = {
    "href": bodies.HREF.pattern,  # case-insensitive, as in bodies.py
    "link": bodies.DATA_LINK.pattern,
    "image": bodies.DATA_IMAGE.pattern,
    "markup": bodies.MARKUP.pattern,
}


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
            }
        )
        return context
