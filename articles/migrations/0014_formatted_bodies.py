"""Story bodies in the newsroom's HTML format (articles/bodies.py), with their plain text beside.

Existing bodies are plain text, paragraphs separated by blank lines: each
becomes a ``<p>``, escaped, so nothing in it turns into markup. ``body_text``
holds the plain text, which search now indexes instead of the body (on
PostgreSQL the trigger reads it; on SQLite the FTS5 table is made again over
it). Reversing brings back plain-text bodies from ``body_text``, and the index
over ``body``. ``original_text`` is not touched.
"""

import html
import re

import django.core.validators
from django.db import migrations, models

BLANK_LINES = re.compile(r"\n[ \t]*\n")


def plain_paragraphs(text):
    return [" ".join(block.split()) for block in BLANK_LINES.split(text) if block.strip()]


def to_format(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    last = 0
    while batch := list(
        Article.objects.filter(pk__gt=last).order_by("pk").only("pk", "body")[:1000]
    ):
        for article in batch:
            body = article.body or ""
            if body.lstrip().startswith("<"):  # already in the format
                continue
            paragraphs = plain_paragraphs(body)
            Article.objects.filter(pk=article.pk).update(
                body="\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs),
                body_text="\n\n".join(paragraphs),
            )
        last = batch[-1].pk


def to_plain_text(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.update(body=models.F("body_text"))


def index(column):
    """The search index's triggers and table, over ``column`` (body or body_text)."""
    postgresql = [
        f"""
        CREATE OR REPLACE FUNCTION articles_article_search_trigger() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_vector := articles_article_search_vector(
                NEW.headline, NEW.summary, NEW.{column}
            );
            RETURN NEW;
        END
        $$
        """,
        "DROP TRIGGER IF EXISTS articles_article_search_update ON articles_article",
        f"""
        CREATE TRIGGER articles_article_search_update
        BEFORE UPDATE OF headline, summary, {column} ON articles_article
        FOR EACH ROW WHEN (
            OLD.headline IS DISTINCT FROM NEW.headline
            OR OLD.summary IS DISTINCT FROM NEW.summary
            OR OLD.{column} IS DISTINCT FROM NEW.{column}
        )
        EXECUTE FUNCTION articles_article_search_trigger()
        """,
        f"""
        UPDATE articles_article
        SET search_vector = articles_article_search_vector(headline, summary, {column})
        """,
    ]
    sqlite = [
        "DROP TRIGGER IF EXISTS articles_article_fts_insert",
        "DROP TRIGGER IF EXISTS articles_article_fts_delete",
        "DROP TRIGGER IF EXISTS articles_article_fts_update",
        "DROP TABLE IF EXISTS articles_article_fts",
        f"""
        CREATE VIRTUAL TABLE articles_article_fts USING fts5(
            headline, summary, {column},
            content='articles_article', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        )
        """,
        f"""
        CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
            INSERT INTO articles_article_fts (rowid, headline, summary, {column})
            VALUES (new.id, new.headline, new.summary, new.{column});
        END
        """,
        f"""
        CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
            INSERT INTO articles_article_fts (articles_article_fts, rowid, headline, summary, {column})
            VALUES ('delete', old.id, old.headline, old.summary, old.{column});
        END
        """,
        f"""
        CREATE TRIGGER articles_article_fts_update
        AFTER UPDATE OF headline, summary, {column} ON articles_article
        WHEN old.headline IS NOT new.headline
            OR old.summary IS NOT new.summary
            OR old.{column} IS NOT new.{column}
        BEGIN
            INSERT INTO articles_article_fts (articles_article_fts, rowid, headline, summary, {column})
            VALUES ('delete', old.id, old.headline, old.summary, old.{column});
            INSERT INTO articles_article_fts (rowid, headline, summary, {column})
            VALUES (new.id, new.headline, new.summary, new.{column});
        END
        """,
        "INSERT INTO articles_article_fts (articles_article_fts) VALUES ('rebuild')",
    ]

    def run(apps, schema_editor):
        statements = {"postgresql": postgresql, "sqlite": sqlite}
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_removal_audience")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="body_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The body as plain text: what search indexes and word counts count.",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="body",
            field=models.TextField(
                blank=True,
                help_text=(
                    "The story's text: paragraphs, subheadings, quotes, lists, bold, italic "
                    "and links, in the newsroom's HTML format (plain text becomes paragraphs)."
                ),
                validators=[django.core.validators.MaxLengthValidator(1000000)],
            ),
        ),
        migrations.RunPython(to_format, to_plain_text),
        migrations.RunPython(index("body_text"), index("body")),
    ]
