"""Full-text search of articles: one query language, compiled for PostgreSQL and SQLite.

The query language, as a reader types it:

- ``Ganja meeting``: every word must match (AND);
- ``"special service meeting"``: a phrase, its words in that order;
- ``-Armenia`` or ``-"Nagorno Karabakh"``: nothing containing it;
- ``Ganja OR Mingachevir``: either (``OR`` in capitals; it binds tighter than
  the AND between words, so ``meeting Ganja OR Baku`` is meeting AND (Ganja OR Baku)).

Matching is case-insensitive. An exclusion always applies to the whole query
(``a OR -b`` is a AND NOT b). English stop words ("the", "and", "not"...) are
left out (a phrase keeps them), as PostgreSQL's 'english' configuration would
drop them anyway, so both databases agree on ``the -Armenia``: nothing to search
for. Everything else a user may type — FTS5 or tsquery operators, SQL, stray
quotes, punctuation — is text: each term reaches the database as a bound
parameter, quoted, and is split into words by the database's own parser. Input
is cut to MAX_QUERY_LENGTH characters and MAX_TERMS terms; what is left over is
ignored, not refused. A query with nothing to search for (empty, punctuation,
only stop words, only exclusions) finds nothing, without a query.

The index is the database's business, kept in step by triggers that migration
0005_search installs (0014 moved them to the body's plain text), so every write
(admin, API, wire import, ``update()``, raw SQL) is indexed with no application
code to forget. The body is indexed as ``body_text``, its plain text (the stored
body is HTML, whose tags are not words):

- PostgreSQL: a ``search_vector`` column on articles_article (headline weight
  A, summary B, body text C) with a GIN index; ranked with ts_rank, snippets by
  ts_headline. The 'english' configuration stems (a search for "elections"
  finds "election"), which suits wire copy written in English; names are
  stemmed alike in text and query, so they still match.
- SQLite: an FTS5 table ``articles_article_fts`` over the article's own columns
  (external content), tokenised by ``porter unicode61 remove_diacritics 2`` so
  that it stems like PostgreSQL; ranked with bm25 weighted 10/4/1, snippets by
  snippet().

The column and the table are deliberately not on the Django model: the
database fills them, a model field would be sent (and overwritten) on every
save, and on SQLite the virtual table is not a table Django could manage.

Differences that remain between the backends: SQLite folds diacritics ("Sao
Paulo" finds "São Paulo"), PostgreSQL matches them as written (it would need
the unaccent extension); the two stemmers (Porter, Snowball) differ on a few
words; each parser splits odd tokens its own way (PostgreSQL keeps "example.com"
and "COVID-19" as tokens of their own); ranks are on different scales and only
their order means anything.
"""

import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connections
from django.db.models import Expression, F, FloatField, Func, IntegerField, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThan
from django.utils.html import escape
from django.utils.safestring import mark_safe

# Results are the best of the newest MAX_RANKED matching stories (see search()).
MAX_RANKED = 1_000
MAX_QUERY_LENGTH = 500
MAX_TERMS = 20

POSTGRESQL_CONFIG = "english"
# ts_rank's weights for D, C, B, A: body 0.2, summary 0.4, headline 1.0.
POSTGRESQL_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
FTS_TABLE = "articles_article_fts"
# bm25's weights for the FTS table's columns: headline, summary, body.
FTS_WEIGHTS = (10.0, 4.0, 1.0)

# What keeps the PostgreSQL search_vector in step with the text (the function
# they call is created by migration 0005).
POSTGRESQL_TRIGGERS = [
    """
    CREATE OR REPLACE TRIGGER articles_article_search_insert BEFORE INSERT ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_trigger()
    """,
    # Django's save() writes every column; only a change of text re-parses it.
    """
    CREATE OR REPLACE TRIGGER articles_article_search_update
    BEFORE UPDATE OF headline, summary, body_text ON articles_article
    FOR EACH ROW WHEN (
        OLD.headline IS DISTINCT FROM NEW.headline
        OR OLD.summary IS DISTINCT FROM NEW.summary
        OR OLD.body_text IS DISTINCT FROM NEW.body_text
    )
    EXECUTE FUNCTION articles_article_search_trigger()
    """,
]

# What keeps the SQLite index in step with articles_article. Rebuilding that
# table (as SQLite migrations do) drops them, so they are put back after every
# migrate; IF NOT EXISTS makes that a no-op when they are there.
SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts (rowid, headline, summary, body_text)
        VALUES (new.id, new.headline, new.summary, new.body_text);
    END
    """,
    # An external-content index forgets a row by being told its old text.
    """
    CREATE TRIGGER IF NOT EXISTS articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts (articles_article_fts, rowid, headline, summary, body_text)
        VALUES ('delete', old.id, old.headline, old.summary, old.body_text);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS articles_article_fts_update
    AFTER UPDATE OF headline, summary, body_text ON articles_article
    WHEN old.headline IS NOT new.headline
        OR old.summary IS NOT new.summary
        OR old.body_text IS NOT new.body_text
    BEGIN
        INSERT INTO articles_article_fts (articles_article_fts, rowid, headline, summary, body_text)
        VALUES ('delete', old.id, old.headline, old.summary, old.body_text);
        INSERT INTO articles_article_fts (rowid, headline, summary, body_text)
        VALUES (new.id, new.headline, new.summary, new.body_text);
    END
    """,
]
SNIPPET_WORDS = 32

# PostgreSQL's english.stop, so that the parser drops what 'english' would.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
    """.split()
)

_UNSAFE_RE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_TOKEN_RE = re.compile(r'(-*)"([^"]*)"?|[^\s"]+')
_WORD_RE = re.compile(r"[^\W_]+")

# Marks around matches that text cannot contain once it has passed _UNSAFE_RE;
# stored text may, so _marked_html never trusts them to pair up.
_START, _STOP = "\x02", "\x03"


@dataclass(frozen=True)
class Term:
    """A word or a "quoted phrase", as typed (without its quotes or minus)."""

    text: str
    phrase: bool = False

    @property
    def words(self):
        return tuple(_WORD_RE.findall(self.text.lower()))

    @property
    def is_stop_word(self):
        return all(word in STOP_WORDS for word in self.words)

    def __str__(self):
        return f'"{self.text}"' if self.phrase else self.text


@dataclass(frozen=True)
class Query:
    """Every group in ``required`` must match (a group: terms joined by OR); no ``excluded`` may."""

    required: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    def __str__(self):
        groups = [" OR ".join(map(str, group)) for group in self.required]
        return " ".join(groups + [f"-{term}" for term in self.excluded])


def parse_query(text: str) -> Query | None:
    """The reader's ``text`` as a Query, or None when there is nothing to search for.

    Reads at most MAX_QUERY_LENGTH characters and MAX_TERMS terms. An unclosed
    quote runs to the end of the text; a term with no letter or digit is
    skipped; an OR with no term on one side is ignored.
    """
    if not isinstance(text, str):
        return None
    groups, excluded = [], []
    after_or = after_required = False
    terms = 0
    for token in _TOKEN_RE.finditer(_UNSAFE_RE.sub(" ", text[:MAX_QUERY_LENGTH])):
        if terms == MAX_TERMS:
            break
        if token[2] is not None:
            negated, term = bool(token[1]), Term(" ".join(token[2].split()), phrase=True)
        elif token[0] == "OR":
            after_or = after_required
            continue
        else:
            negated, term = token[0].startswith("-"), Term(token[0].lstrip("-"))
        if not term.words:
            continue
        terms += 1
        if negated:
            excluded.append(term)
        elif after_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        after_or, after_required = False, not negated
    # Stop words go as PostgreSQL's parser would drop them, on both databases.
    required = tuple(
        kept for group in groups if (kept := tuple(t for t in group if not t.is_stop_word))
    )
    if not required:
        return None
    return Query(required, tuple(term for term in excluded if not term.is_stop_word))


def search(queryset, text: str):
    """``queryset`` (e.g. Article.objects.public()) filtered to matches of ``text``,
    annotated with ``search_rank`` (float) and ordered best first (then newest).
    Returns queryset.none() for a query with nothing to search for.

    Results come only from ``queryset``, so search never widens what a caller
    may see. The result is an ordinary QuerySet: filter, select_related, count
    and slice it as usual, but call search() after anything that orders
    (for_listing()), since its order is the point.
    """
    query = parse_query(text)
    if query is None:
        # Still annotated: callers order by search_rank whatever was asked.
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        positive, full = _tsqueries(query)
        vector = _StoredVector()
        matches = queryset.filter(
            # A query whose terms PostgreSQL's parser drops entirely would leave
            # only negations: a scan of every row. Decided once, not per row.
            GreaterThan(Func(positive, function="numnode", output_field=IntegerField()), 0),
            SearchVectorExact(vector, full),
        )
        # Ranked on what must match: ts_rank scores a negated term as a miss.
        # As a double: ts_rank's real comes back rounded, and an API cursor's
        # position (the rank as read) must compare equal to the row it came from.
        rank = Cast(SearchRank(vector, positive, weights=POSTGRESQL_WEIGHTS), FloatField())
    elif vendor == "sqlite":
        match = _fts5_expression(query)
        matches = queryset.filter(
            pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
        )
        rank = _Fts5Rank(match)
    else:
        raise NotImplementedError(f"Search needs PostgreSQL or SQLite, not {vendor}.")
    # A common word matches much of a large archive, and ranking every match
    # costs one read per match: rank the newest MAX_RANKED matches, found by
    # walking the archive newest first, so the cost is flat in archive size.
    recent = matches.order_by("-published_at", "-id").values("pk")[:MAX_RANKED]
    return (
        queryset.filter(pk__in=Subquery(recent))
        .annotate(search_rank=rank)
        .order_by("-search_rank", F("published_at").desc(nulls_last=True), "-id")
    )


def snippets(articles, text: str) -> dict[int, str]:
    """For the given (already fetched, e.g. one page of) articles: id -> snippet HTML,
    the matching words wrapped in <mark>; everything else escaped (safe to render).

    One query for all of them. The snippet comes from the body, or from the
    summary when only the summary matches; an article that does not match
    ``text`` (edited since the page was read) has no entry.
    """
    articles = list(articles)
    query = parse_query(text)
    if not articles or query is None:
        return {}
    ids = [article.pk for article in articles]
    db = articles[0]._state.db or "default"
    if connections[db].vendor == "postgresql":
        rows = _postgresql_snippets(type(articles[0]), db, ids, query)
    else:
        rows = _sqlite_snippets(db, ids, query)
    return {pk: _marked_html(_best(summary, body)) for pk, summary, body in rows}


def _tsqueries(query):
    """The query's required part alone, and the whole query, as PostgreSQL tsqueries."""

    def phrase(term):
        return SearchQuery(term.text, config=POSTGRESQL_CONFIG, search_type="phrase")

    positive = reduce(
        operator.and_,
        (reduce(operator.or_, map(phrase, group)) for group in query.required),
    )
    full = reduce(operator.and_, (~phrase(term) for term in query.excluded), positive)
    return positive, full


def _fts5_expression(query):
    """The query as an FTS5 MATCH expression, every term a quoted string."""

    def phrase(term):
        return '"' + term.text.replace('"', '""') + '"'

    required = " AND ".join("(" + " OR ".join(map(phrase, group)) + ")" for group in query.required)
    if not query.excluded:
        return required
    return f"({required}) NOT ({' OR '.join(map(phrase, query.excluded))})"


class _OfArticle(Expression):
    """An expression computed from the article row's primary key."""

    def __init__(self):
        super().__init__()
        self.pk = F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs


class _StoredVector(_OfArticle):
    """The ``search_vector`` column of the article table, which the model does not declare.

    Named through the primary key's column, so the table alias stays right
    when the queryset becomes a subquery.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        pk_sql, params = compiler.compile(self.pk)
        table, _, _ = pk_sql.rpartition(".")
        column = connection.ops.quote_name("search_vector")
        return (f"{table}.{column}" if table else column), params


class _Fts5Rank(_OfArticle):
    """The article's bm25 score for ``match``, higher for better (bm25 counts down).

    Materialised once per statement: bm25 re-reads the index's statistics
    each time its query starts, so a plain correlated subquery would cost
    one scan of the matches per matching row.
    """

    output_field = FloatField()

    def __init__(self, match):
        super().__init__()
        self.match = match

    def as_sql(self, compiler, connection):
        pk_sql, pk_params = compiler.compile(self.pk)
        weights = ", ".join(map(str, FTS_WEIGHTS))
        sql = (
            f"(WITH ranked AS MATERIALIZED ("
            f"SELECT rowid, -bm25({FTS_TABLE}, {weights}) AS rank "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
            f") SELECT rank FROM ranked WHERE ranked.rowid = {pk_sql})"
        )
        return sql, (self.match, *pk_params)


def _postgresql_snippets(model, db, ids, query):
    _, full = _tsqueries(query)
    options = {
        "config": POSTGRESQL_CONFIG,
        "start_sel": _START,
        "stop_sel": _STOP,
        "max_words": SNIPPET_WORDS,
        "min_words": SNIPPET_WORDS // 2,
        "max_fragments": 2,
        "fragment_delimiter": " … ",
    }
    return (
        model.objects.using(db)
        .filter(SearchVectorExact(_StoredVector(), full), pk__in=ids)
        .annotate(
            summary_snippet=SearchHeadline("summary", full, **options),
            body_snippet=SearchHeadline("body_text", full, **options),
        )
        .values_list("pk", "summary_snippet", "body_snippet")
        .order_by()
    )


def _sqlite_snippets(db, ids, query):
    columns = ", ".join(
        f"snippet({FTS_TABLE}, {column}, %s, %s, '…', {SNIPPET_WORDS})" for column in (1, 2)
    )
    sql = (
        f"SELECT rowid, {columns} FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})"
    )
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [_START, _STOP, _START, _STOP, _fts5_expression(query), *ids])
        return cursor.fetchall()


def _best(summary, body):
    """The body's snippet if it shows a match, else the summary's if that does."""
    for snippet in (body, summary):
        if snippet and _START in snippet:
            return snippet
    return body or summary or ""


def _marked_html(snippet):
    """``snippet`` escaped, with its match marks as <mark> elements, always balanced."""
    html, open_mark = [], False
    for part in re.split(f"([{_START}{_STOP}])", " ".join(snippet.split())):
        if part == _START and not open_mark:
            html.append("<mark>")
            open_mark = True
        elif part == _STOP and open_mark:
            html.append("</mark>")
            open_mark = False
        elif part not in (_START, _STOP):
            html.append(escape(part))
    if open_mark:
        html.append("</mark>")
    # Escaped above, piece by piece: the only markup is ours.
    return mark_safe("".join(html))


def restore_triggers(sender=None, using="default", **kwargs):
    """After migrate: put back index triggers a table rebuild may have dropped.

    On SQLite most table changes rebuild articles_article without its
    triggers; on PostgreSQL this only repairs what someone dropped by hand.
    """
    from django.db import connections

    from articles.models import Article

    connection = connections[using]
    statements = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}
    if connection.vendor not in statements:
        return
    with connection.cursor() as cursor:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, Article._meta.db_table
            )
        }
        indexed = (
            FTS_TABLE in connection.introspection.table_names(cursor)
            if connection.vendor == "sqlite"
            else "search_vector" in columns
        )
        if not indexed or "body_text" not in columns:
            return  # not migrated that far yet: the triggers below index body_text
        for statement in statements[connection.vendor]:
            cursor.execute(statement)
