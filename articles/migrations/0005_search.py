"""Full-text search index of articles, kept in step by the database (see articles/search.py).

PostgreSQL: a ``search_vector`` tsvector column on articles_article (headline
weight A, summary B, body C, 'english' configuration), written by a trigger,
with a GIN index. SQLite: an external-content FTS5 table over headline,
summary and body, written by triggers. Neither is on the Django model: the
column and the virtual table are the database's business, and a model field
would make every save send a value the trigger overwrites.

On SQLite, a later migration that rebuilds articles_article (Django's
_remake_table: most AlterField, AddField with a default, constraints) drops
these triggers with the old table; the app puts them back after every migrate
(articles.search.restore_sqlite_triggers). tests/test_search.py checks.
"""

from django.db import migrations

# The triggers as created here; articles/search.py keeps the current ones and
# puts them back after every migrate.
POSTGRESQL_TRIGGERS = [
    """
    CREATE OR REPLACE TRIGGER articles_article_search_insert BEFORE INSERT ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_trigger()
    """,
    """
    CREATE OR REPLACE TRIGGER articles_article_search_update
    BEFORE UPDATE OF headline, summary, body ON articles_article
    FOR EACH ROW WHEN (
        OLD.headline IS DISTINCT FROM NEW.headline
        OR OLD.summary IS DISTINCT FROM NEW.summary
        OR OLD.body IS DISTINCT FROM NEW.body
    )
    EXECUTE FUNCTION articles_article_search_trigger()
    """,
]

SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts (rowid, headline, summary, body)
        VALUES (new.id, new.headline, new.summary, new.body);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts (articles_article_fts, rowid, headline, summary, body)
        VALUES ('delete', old.id, old.headline, old.summary, old.body);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS articles_article_fts_update AFTER UPDATE OF headline, summary, body
    ON articles_article
    WHEN old.headline IS NOT new.headline
        OR old.summary IS NOT new.summary
        OR old.body IS NOT new.body
    BEGIN
        INSERT INTO articles_article_fts (articles_article_fts, rowid, headline, summary, body)
        VALUES ('delete', old.id, old.headline, old.summary, old.body);
        INSERT INTO articles_article_fts (rowid, headline, summary, body)
        VALUES (new.id, new.headline, new.summary, new.body);
    END
    """,
]

POSTGRESQL_FORWARD = [
    "ALTER TABLE articles_article ADD COLUMN search_vector tsvector",
    # A body of over a megabyte of distinct words makes a tsvector too long to
    # store; rather than refuse the editor's save, index the body's beginning.
    """
    CREATE FUNCTION articles_article_search_vector(headline text, summary text, body text)
    RETURNS tsvector LANGUAGE plpgsql IMMUTABLE AS $$
    BEGIN
        RETURN setweight(to_tsvector('english', coalesce(headline, '')), 'A')
            || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
            || setweight(to_tsvector('english', coalesce(body, '')), 'C');
    EXCEPTION WHEN program_limit_exceeded THEN
        RETURN setweight(to_tsvector('english', coalesce(headline, '')), 'A')
            || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
            || setweight(to_tsvector('english', left(coalesce(body, ''), 100000)), 'C');
    END
    $$
    """,
    """
    CREATE FUNCTION articles_article_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := articles_article_search_vector(NEW.headline, NEW.summary, NEW.body);
        RETURN NEW;
    END
    $$
    """,
    *POSTGRESQL_TRIGGERS,
    """
    UPDATE articles_article
    SET search_vector = articles_article_search_vector(headline, summary, body)
    """,
    "CREATE INDEX articles_article_search_idx ON articles_article USING gin (search_vector)",
]

POSTGRESQL_BACKWARD = [
    "DROP INDEX articles_article_search_idx",
    "DROP TRIGGER articles_article_search_update ON articles_article",
    "DROP TRIGGER articles_article_search_insert ON articles_article",
    "DROP FUNCTION articles_article_search_trigger()",
    "DROP FUNCTION articles_article_search_vector(text, text, text)",
    "ALTER TABLE articles_article DROP COLUMN search_vector",
]

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE articles_article_fts USING fts5(
        headline, summary, body,
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    *SQLITE_TRIGGERS,
    "INSERT INTO articles_article_fts (articles_article_fts) VALUES ('rebuild')",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER articles_article_fts_update",
    "DROP TRIGGER articles_article_fts_delete",
    "DROP TRIGGER articles_article_fts_insert",
    "DROP TABLE articles_article_fts",
]

FORWARD = {"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}
BACKWARD = {"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}


def create_search_index(apps, schema_editor):
    for statement in FORWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def drop_search_index(apps, schema_editor):
    for statement in BACKWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_roles")]

    operations = [migrations.RunPython(create_search_index, drop_search_index)]
