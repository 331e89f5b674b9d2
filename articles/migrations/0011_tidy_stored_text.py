"""Stored text as the write path now keeps it: LF line endings.

Bodies saved from a browser held CRLF line breaks, which made a story one
paragraph on its page. Their reader HTML is cleared, so ``manage.py relink``
renders it again (``make run`` does; until then the page shows the paragraphs
without mention links). ``original_text``, the copy as received, is left alone.
Reversing keeps the tidied text: it reads the same.
"""

from django.db import migrations
from django.db.models import Q

TEXT_FIELDS = ("headline", "summary", "body", "byline")


def lf(value):
    return value.replace("\r\n", "\n").replace("\r", "\n")


def tidy(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Correction = apps.get_model("articles", "Correction")
    with_cr = Q()
    for name in TEXT_FIELDS:
        with_cr |= Q(**{f"{name}__contains": "\r"})
    for article in Article.objects.filter(with_cr).only("pk", *TEXT_FIELDS).iterator():
        fields = {name: lf(getattr(article, name)) for name in TEXT_FIELDS}
        if fields["body"] != article.body:
            fields["body_html"] = ""
        Article.objects.filter(pk=article.pk).update(**fields)
    for correction in Correction.objects.filter(text__contains="\r").iterator():
        Correction.objects.filter(pk=correction.pk).update(text=lf(correction.text))


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_indexes_for_a_large_archive")]

    operations = [migrations.RunPython(tidy, migrations.RunPython.noop)]
