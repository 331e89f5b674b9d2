"""A cheaper search-vector function on PostgreSQL.

A PL/pgSQL EXCEPTION block opens a subtransaction on every call, which doubled
the cost of indexing each saved article. Only a body long enough to overflow a
tsvector (over a megabyte of distinct words) can raise, so only such a body
takes the guarded path.
"""

from django.db import migrations

GUARDED = """
CREATE OR REPLACE FUNCTION articles_article_search_vector(headline text, summary text, body text)
RETURNS tsvector LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF length(coalesce(body, '')) < 100000 THEN
        RETURN setweight(to_tsvector('english', coalesce(headline, '')), 'A')
            || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
            || setweight(to_tsvector('english', coalesce(body, '')), 'C');
    END IF;
    BEGIN
        RETURN setweight(to_tsvector('english', coalesce(headline, '')), 'A')
            || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
            || setweight(to_tsvector('english', coalesce(body, '')), 'C');
    EXCEPTION WHEN program_limit_exceeded THEN
        RETURN setweight(to_tsvector('english', coalesce(headline, '')), 'A')
            || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
            || setweight(to_tsvector('english', left(coalesce(body, ''), 100000)), 'C');
    END;
END
$$
"""

ALWAYS_GUARDED = """
CREATE OR REPLACE FUNCTION articles_article_search_vector(headline text, summary text, body text)
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
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARDED, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALWAYS_GUARDED, params=None)


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_partner_role")]

    operations = [migrations.RunPython(forward, backward)]
